// Fused forms of op pairs that every transformer layer runs: a linear layer's product and bias add, and a post-norm
// block's residual add and layer norm. When no gradient is recorded each runs as one threaded pass over rows that
// computes exactly what the composed ops compute (the same bits: the same per-element operations in the same order),
// without the composed form's extra buffer and its single-threaded elementwise pass. When a gradient is recorded they
// are the composed ops, so autograd sees only ops that already have a backward rule.
using System.Numerics.Tensors;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>this (…, M, K) · <paramref name="other"/> (…, K, N) + <paramref name="bias"/> (N) → (…, M, N).</summary>
    public Tensor MatmulAddBias(Tensor other, Tensor bias)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(bias);
        var product = Matmul(other);
        if (WillRecord(this, other, bias) || bias.Rank != 1 || product.Rank == 0 || product._shape[^1] != bias._shape[0]
            || !product.IsContiguous)
        {
            return product + bias;
        }

        var n = bias._shape[0];
        var b = bias.Materialize();
        var data = product._storage;
        var offset = product._offset;
        ParallelRows.For(n == 0 ? 0 : product.Count / n, n, (start, end) =>
        {
            var bs = b.ReadSpan();
            for (var r = start; r < end; r++)
            {
                var row = data.AsSpan(offset + (r * n), n);
                TensorPrimitives.Add(row, bs, row);
            }
        });
        return product;
    }

    /// <summary>LayerNorm(this + <paramref name="residual"/>) over the last dimension (C), both of one shape; weight and bias (C) optional.</summary>
    public Tensor AddLayerNorm(Tensor residual, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(residual);
        if (WillRecord(residual) || WillRecord(InputsOf(this, weight, bias)) || Rank == 0
            || !ShapeMath.SameShape(_shape, residual._shape))
        {
            return (this + residual).LayerNorm(weight, bias, eps);
        }

        var c = _shape[^1];
        CheckAffine(weight, c, "LayerNorm weight");
        CheckAffine(bias, c, "LayerNorm bias");
        var (x, r, w, b) = (Materialize(), residual.Materialize(), weight?.Materialize(), bias?.Materialize());
        var data = Uninitialized(Count);
        ParallelRows.For(c == 0 ? 0 : Count / c, c, (start, end) =>
        {
            var xs = x.ReadSpan();
            var rs = r.ReadSpan();
            var ws = w is null ? [] : w.ReadSpan();
            var bs = b is null ? [] : b.ReadSpan();
            for (var row = start; row < end; row++)
            {
                var y = data.AsSpan(row * c, c);
                TensorPrimitives.Add(xs.Slice(row * c, c), rs.Slice(row * c, c), y);
                LayerNormKernel.Forward(y, ws, bs, eps, y, out _, out _);
            }
        });
        return new Tensor(data, (int[])_shape.Clone());
    }
}
