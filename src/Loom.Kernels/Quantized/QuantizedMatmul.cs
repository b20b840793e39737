// Matrix products with block-quantised weights that stay quantised in memory, dequantised inside the kernel (as
// llama.cpp's ggml_mul_mat with Q8_0 / Q4_0 weights, though by default the activations here stay float32). A few rows of
// activations (token-by-token decoding: a GEMV) stream the quantised rows once and widen each block in registers; more
// rows (prompt prefill, batched decoding) dequantise a panel of weight rows once into a cache-sized float32 buffer and
// hand it to the packed SGEMM, which reuses it for every row of activations. On request (QuantizedActivations.Int8) a
// few rows are instead quantised to int8 blocks once per product and meet the weights in integer dot products, as in
// llama.cpp; that changes the results by the activation rounding, so it is never the default.
namespace Loom.Kernels;

/// <summary>
/// y = x · Wᵀ for float32 activations x (M × K) and a quantised weight matrix W (N × K, <see cref="QuantizedFormat"/>
/// rows of whole 32-value blocks): the x·Wᵀ of a linear layer.
/// </summary>
/// <remarks>
/// <para>Runs on the widest accelerated vector path (the same choice as <see cref="Gemm.ActiveKernel"/>, with AVX2
/// required for the 256-bit path) with up to <see cref="KernelOptions.DegreeOfParallelism"/> threads.</para>
/// <para>Reproducibility: the output columns are split into fixed contiguous ranges and every element is computed by
/// one thread in a fixed order that does not depend on the split, so the result is bit-identical across runs and
/// thread counts. Up to <see cref="MaxStreamingRows"/> rows, every path gives exactly the bits of <see cref="Gemm"/> on
/// the dequantised matrix (QuantizedDotRows); above it, the panel path hands dequantised panels to that same GEMM.
/// With <see cref="QuantizedActivations.Int8"/>, up to <see cref="MaxIntegerRows"/> rows take the integer-dot path
/// (QuantizedIntegerDotRows), which gives the same bits on every vector path and thread count but not those of the
/// float32 paths.</para>
/// </remarks>
public static unsafe class QuantizedMatmul
{
    /// <summary>Largest M served by the streaming (GEMV) path; above it the panel path dequantises once per panel.</summary>
    public const int MaxStreamingRows = 2;

    /// <summary>Largest M served by the integer-dot path of <see cref="QuantizedActivations.Int8"/>; above it the float32 paths.</summary>
    public const int MaxIntegerRows = 8;

    /// <summary>Below this many weights per part a product stays on fewer threads.</summary>
    internal const long MinWeightsPerPart = 1 << 15;

    /// <summary>Rows of the output split unit: a multiple of every micro-kernel's column tile.</summary>
    internal const int RowAlignment = 32;

    [ThreadStatic]
    private static QuantizedMatmulJob? t_job;

    [ThreadStatic]
    private static sbyte[]? t_values;

    [ThreadStatic]
    private static float[]? t_scales;

    [ThreadStatic]
    private static int[]? t_quadSums;

    /// <summary>The vector path this process uses.</summary>
    public static GemmKernel ActiveKernel { get; } =
        Gemm.ActiveKernel == GemmKernel.Vector512 && System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? GemmKernel.Vector512
        : Gemm.ActiveKernel != GemmKernel.Scalar && System.Runtime.Intrinsics.X86.Avx2.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    /// <param name="format">Layout of <paramref name="weights"/>.</param>
    /// <param name="weights">W, <paramref name="n"/> rows of <paramref name="k"/> values as consecutive blocks.</param>
    /// <param name="n">Rows of W, columns of y.</param>
    /// <param name="k">Columns of W and x (a multiple of 32).</param>
    /// <param name="input">x, <paramref name="m"/> contiguous rows of <paramref name="k"/>.</param>
    /// <param name="m">Rows of x and y.</param>
    /// <param name="output">y, <paramref name="m"/> contiguous rows of <paramref name="n"/>; only written.</param>
    /// <exception cref="ArgumentException">A span does not fit the shape, or <paramref name="k"/> is not whole blocks.</exception>
    /// <param name="activations">Whether up to <see cref="MaxIntegerRows"/> rows of x are quantised to int8 first.</param>
    public static void Multiply(QuantizedFormat format, ReadOnlySpan<byte> weights, int n, int k, ReadOnlySpan<float> input, int m, Span<float> output,
        QuantizedActivations activations = QuantizedActivations.Float32) =>
        Multiply(ActiveKernel, KernelOptions.DegreeOfParallelism, format, weights, n, k, input, m, output, activations);

    /// <summary>The same product on a chosen path and thread count (tests compare the paths through this).</summary>
    internal static void Multiply(GemmKernel kernel, int degreeOfParallelism, QuantizedFormat format, ReadOnlySpan<byte> weights, int n, int k,
        ReadOnlySpan<float> input, int m, Span<float> output, QuantizedActivations activations = QuantizedActivations.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        QuantizedLayout.CheckMatmul(format, weights.Length, n, k, input.Length, m, output.Length);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            output[..(m * n)].Clear();
            return;
        }

        var units = (n + RowAlignment - 1) / RowAlignment;
        var parts = (int)Math.Clamp((long)n * k * Math.Min(m, 8) / MinWeightsPerPart, 1, Math.Min(degreeOfParallelism, units));
        var integer = activations == QuantizedActivations.Int8 && m <= MaxIntegerRows;
        fixed (byte* w = weights)
        fixed (float* x = input)
        fixed (float* y = output)
        {
            var (values, scales, quadSums) = integer ? QuantizeRows(kernel, x, m, k) : default;
            fixed (sbyte* xq = values)
            fixed (float* xd = scales)
            fixed (int* xs = quadSums)
            {
                var job = t_job ??= new QuantizedMatmulJob();
                job.Set(kernel, format, w, n, k, x, m, y, xq, xd, xs);
                try
                {
                    KernelWorkerPool.Run(job, parts);
                }
                finally
                {
                    job.Clear();
                }
            }
        }
    }

    /// <summary>
    /// The <paramref name="m"/> rows of <paramref name="x"/> quantised for the integer-dot path (QuantizedActivationRows) into
    /// this thread's buffers, valid until its next call.
    /// </summary>
    internal static (sbyte[] Values, float[] Scales, int[] QuadSums) QuantizeRows(GemmKernel kernel, float* x, int m, int k)
    {
        var values = Grow(ref t_values, m * k);
        var scales = Grow(ref t_scales, m * k / QuantizedLayout.BlockValues);
        var quadSums = Grow(ref t_quadSums, m * k / 4);
        fixed (sbyte* xq = values)
        fixed (float* xd = scales)
        fixed (int* xs = quadSums)
        {
            QuantizedActivationRows.Quantize(x, m * k, xq, xd, xs, kernel != GemmKernel.Scalar && System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        }

        return (values, scales, quadSums);
    }

    private static T[] Grow<T>(ref T[]? buffer, int length) => buffer is { } existing && existing.Length >= length ? existing : buffer = new T[length];

    /// <summary>Output columns [start, end) of part <paramref name="part"/>: whole 32-column units, split evenly.</summary>
    internal static (int Start, int End) Columns(int n, int part, int parts)
    {
        var units = (n + RowAlignment - 1) / RowAlignment;
        var start = (int)((long)part * units / parts) * RowAlignment;
        var end = (int)((long)(part + 1) * units / parts) * RowAlignment;
        return (Math.Min(start, n), Math.Min(end, n));
    }
}
