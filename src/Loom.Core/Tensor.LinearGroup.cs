// Linear maps that read the same input (q, k and v of an attention block; gate and up of a gated MLP) as one kernel job
// when decoding: a few rows of input, no gradient recorded. Loom.Kernels.GroupedProducts computes every element with the
// kernel and order of the single product and adds the bias with one addition, so each result has exactly the bits of
// MatmulAddBias with Wᵀ (or QuantizedMatrix.MultiplyTransposed, then + b). Everything else is left to the caller's
// single maps, which record gradients, honour autocast and serve large inputs as before.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>
    /// this (…, K) · W_iᵀ + b_i → (…, N_i) for every map, as one kernel job; null when the maps are better run one by one
    /// (too many rows for the decode kernels, a gradient to record, autocast, a strided input, or a weight that is not a
    /// plain (N, K) matrix of the shape the single product reads as one).
    /// </summary>
    /// <exception cref="TensorShapeException">A map's input width is not the last dimension of this tensor.</exception>
    public Tensor[]? TryLinearGroup(ReadOnlySpan<LinearMap> maps)
    {
        var k = Rank == 0 ? 0 : _shape[^1];
        var weights = new GroupedWeight[maps.Length];
        for (var i = 0; i < maps.Length; i++)
        {
            var (map, width) = (maps[i], maps[i].QuantizedWeight?.Columns ?? maps[i].Weight!.Size(-1));
            if (Rank == 0 || width != k)
            {
                throw new TensorShapeException($"Linear group: map {i} expects input (…, {width}); found {ShapeMath.Format(_shape)}.");
            }

            if (Grouped(map) is not { } weight)
            {
                return null;
            }

            weights[i] = weight;
        }

        var m = ShapeMath.CountOf(_shape[..^1], "Linear group"); // rows of x: (M, K)
        if (maps.IsEmpty || !IsContiguous || !GroupedProducts.RunsAsOneJob(m, k, weights))
        {
            return null;
        }

        var results = new Tensor[maps.Length];
        var outputs = new Memory<float>[maps.Length];
        for (var i = 0; i < maps.Length; i++)
        {
            var storage = Uninitialized(m * weights[i].Rows); // only written
            results[i] = new Tensor(storage, [.. _shape[..^1], weights[i].Rows]);
            outputs[i] = storage.AsMemory(0, m * weights[i].Rows);
        }

        GroupedProducts.MultiplyTransposed(_storage.AsSpan(_offset, Count), m, k, weights, outputs);
        return results;
    }

    /// <summary>The kernel's view of a map, or null when the map must run on its own (see <see cref="TryLinearGroup"/>).</summary>
    private GroupedWeight? Grouped(LinearMap map)
    {
        var bias = map.Bias;
        if (WillRecord(this) || (bias is not null && WillRecord(bias)) || (map.Weight is { } w && WillRecord(w)))
        {
            return null;
        }

        var rows = map.QuantizedWeight?.Rows ?? map.Weight!.Size(0);
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != rows))
        {
            return null;
        }

        var b = bias?.Materialize();
        var biasValues = b is null ? ReadOnlyMemory<float>.Empty : b._storage.AsMemory(b._offset, rows);
        if (map.QuantizedWeight is { } q)
        {
            return GroupedWeight.Quantized(q.Format, q.Data, q.Rows, q.Activations, biasValues);
        }

        // Matmul reads Wᵀ as the N × K operand of the dot-row kernel only when both sides exceed 1 (else as a K × N one).
        var weight = map.Weight!;
        if (AutocastMode.Precision != GemmPrecision.Float32 || weight.Rank != 2 || !weight.IsContiguous || rows < 2 || weight._shape[1] < 2)
        {
            return null;
        }

        return GroupedWeight.Float32(weight._storage.AsMemory(weight._offset, weight.Count), rows, biasValues);
    }
}
