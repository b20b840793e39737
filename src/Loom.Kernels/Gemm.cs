// Packed, cache-blocked SGEMM in the style of Goto and van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication" (ACM TOMS 2008) and BLIS (Van Zee and van de Geijn, ACM TOMS 2015): operands are packed
// into cache-sized blocks of micro-panels and a register-blocked FMA micro-kernel computes C tile by tile.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>
/// Single-precision general matrix multiply: C = alpha · op(A) · op(B) + beta · C, row-major.
/// op(X) is X or Xᵀ; a transposed operand is read in place, never copied by the caller.
/// </summary>
/// <remarks>
/// <para>Runs on the widest micro-kernel the hardware accelerates (<see cref="ActiveKernel"/>) with up to
/// <see cref="KernelOptions.DegreeOfParallelism"/> threads.</para>
/// <para>Reproducibility: every element of C is accumulated by one thread, in depth order, with one FMA per
/// product and the same blocking whatever the number of threads. The result is therefore bit-identical
/// across runs <em>and</em> across thread counts. The three kernels also share that order, so on hardware
/// with FMA the scalar, 256-bit and 512-bit paths give the same bits too. Products with only a few rows skip
/// packing and read B in place. With B stored K × N they keep that same order, so a row of C has the same bits
/// whether it is computed alone or inside a larger product. One or two rows against B stored N × K (x·Wᵀ, one token
/// at a time in generation) are bandwidth-bound dot products in a fixed order of their own (see GemmDotRows): also
/// the same bits on every kernel and thread count, but not necessarily those of the same row inside a larger product.</para>
/// <para>Like BLAS, when <c>beta</c> is 0 C is only written, never read (NaN in C does not propagate);
/// when <c>k</c> is 0 or <c>alpha</c> is 0, C becomes beta · C.</para>
/// </remarks>
public static class Gemm
{
    /// <summary>The micro-kernel family this process uses, chosen from the accelerated vector widths.</summary>
    public static GemmKernel ActiveKernel { get; } =
        Vector512.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    /// <param name="transA">A is stored (K × M) and used transposed.</param>
    /// <param name="transB">B is stored (N × K) and used transposed (the x·Wᵀ case of a Linear layer).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Storage of A, rows <paramref name="lda"/> apart.</param>
    /// <param name="lda">Row stride of stored A (at least its column count).</param>
    /// <param name="b">Storage of B, rows <paramref name="ldb"/> apart.</param>
    /// <param name="ldb">Row stride of stored B (at least its column count).</param>
    /// <param name="beta">Scale of the old C.</param>
    /// <param name="c">Storage of C, rows <paramref name="ldc"/> apart.</param>
    /// <param name="ldc">Row stride of C (at least <paramref name="n"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a stride is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for the shape and stride given.</exception>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc) =>
        Multiply(ActiveKernel, KernelOptions.DegreeOfParallelism, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// The same product with operands rounded as <paramref name="precision"/> says (bfloat16: rounded while packed, so
    /// the result is the float32 product of the rounded operands; always the packed path, even for a few rows).
    /// </summary>
    public static void Multiply(
        GemmPrecision precision, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc) =>
        Multiply(ActiveKernel, KernelOptions.DegreeOfParallelism, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, precision);

    /// <summary>The same product on a chosen kernel and thread count (tests compare the paths through this).</summary>
    internal static unsafe void Multiply(
        GemmKernel kernel, int degreeOfParallelism,
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, GemmPrecision precision = GemmPrecision.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        CheckOperand("A", a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda));
        CheckOperand("B", b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb));
        CheckOperand("C", c.Length, m, n, ldc, nameof(ldc));

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, precision);
            var parts = GemmPartition.PartCount(problem, kernel, degreeOfParallelism);
            GemmJob.Run(problem, kernel, parts);
        }
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld, string ldName)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException(
                ldName, ld, $"GEMM operand {name} is stored {rows} × {cols}: expected a row stride of at least {Math.Max(1, cols)}, found {ld}.");
        }

        var needed = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"GEMM operand {name} is stored {rows} × {cols} with row stride {ld}: expected at least {needed} elements, found {length}.",
                name.ToLowerInvariant());
        }
    }

    private static void ScaleC(Span<float> c, int m, int n, int ldc, float beta)
    {
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}
