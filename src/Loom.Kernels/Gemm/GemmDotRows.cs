// The matrix-vector case of a linear layer during token-by-token decoding: one or two rows of A times Bᵀ with B
// stored N × K (x·Wᵀ). The product is a pure stream over W (each weight is used once per row of A), so it is bound by
// memory bandwidth, not arithmetic. Each output is a dot product of two contiguous rows, read with full-width loads and
// no shuffles, four rows of B at a time so that four independent FMA chains hide the FMA latency. The loop prefetches
// into L2 what it reads a group later (the four rows of a group follow in memory, so one linear sweep ahead covers them):
// without it a decode-sized product waits on memory at every new group. One thread sweeping stories110M-sized matrices
// ran 1.2–2.4× faster with prefetcht0 1 KiB ahead, and about 1.3× faster again with prefetcht1 4 KiB ahead (noisy machine).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>
/// C = alpha · A·Bᵀ + beta · C for at most <see cref="MaxRows"/> contiguous rows of A, B stored N × K, as dot products.
/// </summary>
/// <remarks>
/// Summation order of every output, on every kernel (so the bits do not depend on the kernel, the thread count or the
/// split): 16 running sums, sum l taking the products of depths p ≡ l (mod 16) one FMA at a time in depth order (the
/// last depths, past the last whole 16, go to sums 0, 1, … in turn); then the sums are folded in halves, l + (l + 8),
/// then l + (l + 4), then l + (l + 2), then 0 + 1; then the usual fma(alpha, sum, beta · C). This is not the packed
/// GEMM's order, so a row computed here may differ in the last bits from the same row inside a larger product.
/// </remarks>
internal static unsafe class GemmDotRows
{
    /// <summary>Most rows of A served here (one token per sequence in decoding; two for a pair of sequences).</summary>
    public const int MaxRows = 2;

    /// <summary>Rows of B per unit of work in the split among threads.</summary>
    public const int RowStep = 32;

    private const int Lanes = 16;

    /// <summary>How far past the start of the next group of four rows the loop prefetches (into L2).</summary>
    private const int PrefetchBytes = 4096;

    /// <summary>Whether this path serves the problem: B stored N × K and a few contiguous rows of A, float32 operands.</summary>
    public static bool Applies(in GemmProblem problem) =>
        problem.Precision == GemmPrecision.Float32 && problem.TransB && problem.M <= MaxRows && (!problem.TransA || problem.M == 1 && problem.Lda == 1);

    /// <summary>Computes rows [j0, j1) of B against every row of A, i.e. columns [j0, j1) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem problem, GemmKernel kernel, int j0, int j1)
    {
        var lanes = stackalloc float[4 * Lanes]; // the 16 running sums of each of four rows of B
        for (var j = j0; j < j1; j += 4)
        {
            var rows = Math.Min(4, j1 - j);
            for (var i = 0; i < problem.M; i++)
            {
                var a = problem.A + ((nint)i * (problem.TransA ? 1 : problem.Lda));
                var b = problem.B + ((nint)j * problem.Ldb);
                var done = rows < 4 ? 0
                    : kernel == GemmKernel.Vector512 && Avx512F.IsSupported ? FourRows512(a, b, problem.Ldb, problem.K, lanes)
                    : kernel != GemmKernel.Scalar && Fma.IsSupported ? FourRows256(a, b, problem.Ldb, problem.K, lanes)
                    : 0;
                var c = problem.C + ((nint)i * problem.Ldc) + j;
                for (var r = 0; r < rows; r++)
                {
                    var sums = lanes + (r * Lanes);
                    var row = b + (r * problem.Ldb);
                    var p = done == 0 ? WholeLanesScalar(a, row, problem.K, sums) : done;
                    c[r] = StoreRule(Finish(sums, a, row, p, problem.K), c[r], problem.Alpha, problem.Beta);
                }
            }
        }
    }

    /// <summary>
    /// The 16 sums of four rows of B over the whole 16s of depth, stored to <paramref name="lanes"/> (16 per row);
    /// returns the depth reached.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FourRows512(float* a, float* b, nint ldb, int k, float* lanes)
    {
        float* b0 = b, b1 = b + ldb, b2 = b + (2 * ldb), b3 = b + (3 * ldb);
        var ahead = (byte*)(b + (4 * ldb)) + PrefetchBytes;
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var p = 0;
        for (; p + Lanes <= k; p += Lanes, ahead += 4 * Lanes * sizeof(float))
        {
            Sse.Prefetch1(ahead);
            Sse.Prefetch1(ahead + 64);
            Sse.Prefetch1(ahead + 128);
            Sse.Prefetch1(ahead + 192);
            var x = Avx512F.LoadVector512(a + p);
            s0 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b0 + p), s0);
            s1 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b1 + p), s1);
            s2 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b2 + p), s2);
            s3 = Avx512F.FusedMultiplyAdd(x, Avx512F.LoadVector512(b3 + p), s3);
        }

        Avx512F.Store(lanes, s0);
        Avx512F.Store(lanes + Lanes, s1);
        Avx512F.Store(lanes + (2 * Lanes), s2);
        Avx512F.Store(lanes + (3 * Lanes), s3);
        return p;
    }

    /// <summary><see cref="FourRows512"/> with two 256-bit registers per row: lanes 0–7 and lanes 8–15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FourRows256(float* a, float* b, nint ldb, int k, float* lanes)
    {
        float* b0 = b, b1 = b + ldb, b2 = b + (2 * ldb), b3 = b + (3 * ldb);
        var ahead = (byte*)(b + (4 * ldb)) + PrefetchBytes;
        Vector256<float> l0 = Vector256<float>.Zero, l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
        var p = 0;
        for (; p + Lanes <= k; p += Lanes, ahead += 4 * Lanes * sizeof(float))
        {
            Sse.Prefetch1(ahead);
            Sse.Prefetch1(ahead + 64);
            Sse.Prefetch1(ahead + 128);
            Sse.Prefetch1(ahead + 192);
            var xl = Avx.LoadVector256(a + p);
            var xh = Avx.LoadVector256(a + p + 8);
            l0 = Fma.MultiplyAdd(xl, Avx.LoadVector256(b0 + p), l0);
            h0 = Fma.MultiplyAdd(xh, Avx.LoadVector256(b0 + p + 8), h0);
            l1 = Fma.MultiplyAdd(xl, Avx.LoadVector256(b1 + p), l1);
            h1 = Fma.MultiplyAdd(xh, Avx.LoadVector256(b1 + p + 8), h1);
            l2 = Fma.MultiplyAdd(xl, Avx.LoadVector256(b2 + p), l2);
            h2 = Fma.MultiplyAdd(xh, Avx.LoadVector256(b2 + p + 8), h2);
            l3 = Fma.MultiplyAdd(xl, Avx.LoadVector256(b3 + p), l3);
            h3 = Fma.MultiplyAdd(xh, Avx.LoadVector256(b3 + p + 8), h3);
        }

        Avx.Store(lanes, l0);
        Avx.Store(lanes + 8, h0);
        Avx.Store(lanes + Lanes, l1);
        Avx.Store(lanes + Lanes + 8, h1);
        Avx.Store(lanes + (2 * Lanes), l2);
        Avx.Store(lanes + (2 * Lanes) + 8, h2);
        Avx.Store(lanes + (3 * Lanes), l3);
        Avx.Store(lanes + (3 * Lanes) + 8, h3);
        return p;
    }

    /// <summary>The 16 sums of one row over the whole 16s of depth with scalar FMAs (the vector paths' reference).</summary>
    private static int WholeLanesScalar(float* a, float* b, int k, float* lanes)
    {
        new Span<float>(lanes, Lanes).Clear();
        var p = 0;
        for (; p + Lanes <= k; p += Lanes)
        {
            for (var l = 0; l < Lanes; l++)
            {
                lanes[l] = MathF.FusedMultiplyAdd(a[p + l], b[p + l], lanes[l]);
            }
        }

        return p;
    }

    /// <summary>Adds depths [<paramref name="p"/>, k) to sums 0, 1, … and folds the 16 sums (<see cref="Fold"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(float* lanes, float* a, float* b, int p, int k)
    {
        for (var l = 0; p < k; p++, l++)
        {
            lanes[l] = MathF.FusedMultiplyAdd(a[p], b[p], lanes[l]);
        }

        return Fold(lanes);
    }

    /// <summary>The 16 sums folded in halves: l + (l + 8), then + (l + 4), then + (l + 2), then 0 + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Fold(float* lanes)
    {
        var eight = Vector256.Load(lanes) + Vector256.Load(lanes + 8);
        var four = eight.GetLower() + eight.GetUpper();
        var two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 2, 3));
        return two.ToScalar() + two.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float StoreRule(float sum, float old, float alpha, float beta) =>
        beta == 0f ? alpha * sum : MathF.FusedMultiplyAdd(alpha, sum, beta * old);
}
