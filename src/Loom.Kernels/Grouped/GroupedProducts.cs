// Several linear maps that read the same input (a LLaMA block's q, k and v projections; a gated MLP's gate and up) as one
// job on the kernel worker pool. Token-by-token decoding runs dozens of small weight products per token, each a pure
// stream over its weight; run one by one, each pays its own wake, split and join, and a small one ends before the
// hardware prefetchers are up to speed. Here the split covers the concatenated output rows of all the weights, so
// each thread streams one contiguous share of them after a single wake, and an int8-quantised input is quantised once.
namespace Loom.Kernels;

/// <summary>y_i = x · W_iᵀ (+ b_i) for several weights W_i (each stored N_i × K) and one input x (M × K).</summary>
/// <remarks>
/// Every output element is computed by the same dot-product kernel in the same order as the single product
/// (<see cref="Gemm"/> with B stored N × K for a float32 weight, <see cref="QuantizedMatmul"/> for a quantised one), and a
/// bias is added to it with one float32 addition, so y_i has exactly the bits of the separate product plus bias. Inputs
/// of more rows than the weights' dot-product paths serve (prompt prefill, training) run as those separate products.
/// </remarks>
public static unsafe class GroupedProducts
{
    /// <summary>
    /// Computes every y_i = x · W_iᵀ (+ b_i) into <paramref name="outputs"/>[i] (<paramref name="m"/> contiguous rows of
    /// N_i, only written).
    /// </summary>
    /// <param name="input">x, <paramref name="m"/> contiguous rows of <paramref name="k"/>.</param>
    /// <param name="m">Rows of x and of every output.</param>
    /// <param name="k">Columns of x and of every weight (a multiple of 32 when a weight is quantised).</param>
    /// <param name="weights">The W_i and their biases.</param>
    /// <param name="outputs">One output per weight.</param>
    /// <exception cref="ArgumentException">A span does not fit the shapes, or the counts of weights and outputs differ.</exception>
    public static void MultiplyTransposed(ReadOnlySpan<float> input, int m, int k, ReadOnlySpan<GroupedWeight> weights, ReadOnlySpan<Memory<float>> outputs) =>
        MultiplyTransposed(Gemm.ActiveKernel, QuantizedMatmul.ActiveKernel, KernelOptions.DegreeOfParallelism, input, m, k, weights, outputs);

    /// <summary>Whether <paramref name="m"/> input rows against these weights run as one job (else as separate products).</summary>
    public static bool RunsAsOneJob(int m, int k, ReadOnlySpan<GroupedWeight> weights)
    {
        if (m < 1 || k < 1)
        {
            return false;
        }

        foreach (var weight in weights)
        {
            if (m > weight.MaxPassRows)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same products on chosen vector paths and thread count (tests compare with the single products through this).</summary>
    internal static void MultiplyTransposed(GemmKernel floatKernel, GemmKernel quantizedKernel, int degreeOfParallelism,
        ReadOnlySpan<float> input, int m, int k, ReadOnlySpan<GroupedWeight> weights, ReadOnlySpan<Memory<float>> outputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Check(input.Length, m, k, weights, outputs);
        if (!RunsAsOneJob(m, k, weights))
        {
            for (var i = 0; i < weights.Length; i++)
            {
                Separate(floatKernel, quantizedKernel, degreeOfParallelism, input, m, k, weights[i], outputs[i].Span);
            }

            return;
        }

        var (units, work) = (0L, 0.0);
        var integer = false;
        foreach (var weight in weights)
        {
            units += (weight.Rows + GroupedProductsJob.RowUnit - 1) / GroupedProductsJob.RowUnit;
            work += weight.IsQuantized
                ? (double)weight.Rows * k * m / QuantizedMatmul.MinWeightsPerPart
                : (double)weight.Rows * k * m / GemmPartition.MinWorkPerPart;
            integer |= weight.IsQuantized && weight.Activations == QuantizedActivations.Int8;
        }

        var parts = (int)Math.Clamp(Math.Min(work, Math.Min(degreeOfParallelism, units)), 1, int.MaxValue);
        fixed (float* x = input)
        {
            var (values, scales, quadSums) = integer ? QuantizedMatmul.QuantizeRows(quantizedKernel, x, m, k) : default;
            fixed (sbyte* xq = values)
            fixed (float* xd = scales)
            fixed (int* xs = quadSums)
            {
                GroupedProductsJob.Run(floatKernel, quantizedKernel, parts, new GroupedInput(x, m, k, xq, xd, xs), weights, outputs);
            }
        }
    }

    /// <summary>One product on its own (more input rows than one job serves), then its bias.</summary>
    private static void Separate(GemmKernel floatKernel, GemmKernel quantizedKernel, int degreeOfParallelism,
        ReadOnlySpan<float> input, int m, int k, GroupedWeight weight, Span<float> output)
    {
        var n = weight.Rows;
        if (weight.IsQuantized)
        {
            QuantizedMatmul.Multiply(quantizedKernel, degreeOfParallelism, weight.Format, weight.Blocks.Span, n, k, input, m, output, weight.Activations);
        }
        else
        {
            Gemm.Multiply(floatKernel, degreeOfParallelism, false, true, m, n, k, 1f, input, Math.Max(1, k), weight.Values.Span, Math.Max(1, k), 0f, output, Math.Max(1, n));
        }

        if (!weight.Bias.IsEmpty)
        {
            for (var i = 0; i < m; i++)
            {
                var row = output.Slice(i * n, n);
                System.Numerics.Tensors.TensorPrimitives.Add(row, weight.Bias.Span, row);
            }
        }
    }

    private static void Check(int input, int m, int k, ReadOnlySpan<GroupedWeight> weights, ReadOnlySpan<Memory<float>> outputs)
    {
        if (weights.Length != outputs.Length)
        {
            throw new ArgumentException($"Expected one output per weight: {weights.Length} weights, {outputs.Length} outputs.", nameof(outputs));
        }

        for (var i = 0; i < weights.Length; i++)
        {
            var (weight, n) = (weights[i], weights[i].Rows);
            if (weight.IsQuantized)
            {
                QuantizedLayout.CheckMatmul(weight.Format, weight.Blocks.Length, n, k, input, m, outputs[i].Length);
                continue;
            }

            if (weight.Values.Length < (long)n * k || input < (long)m * k || outputs[i].Length < (long)m * n)
            {
                throw new ArgumentException(
                    $"Weight {i} ({n} × {k}) needs {(long)n * k} floats, found {weight.Values.Length}; the input ({m} × {k}) {(long)m * k}, found {input}; its output ({m} × {n}) {(long)m * n}, found {outputs[i].Length}.");
            }
        }
    }
}
