namespace Loom.Kernels.Tests;

/// <summary>
/// One or two rows of A times Bᵀ (B stored N × K, the x·Wᵀ of decoding), served by <see cref="GemmDotRows"/>: against
/// the float64 <see cref="GemmReference"/> for odd sizes and depth tails, and bit for bit against a scalar evaluation
/// of the documented summation order on every kernel and thread count.
/// </summary>
public class GemmDotRowsTests
{
    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void OddShapesMatchTheReference(GemmKernel kernel)
    {
        int[] depths = [1, 5, 15, 16, 17, 31, 33, 64, 255, 256, 257, 769];
        int[] widths = [1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 67];
        foreach (var m in new[] { 1, 2 })
        {
            foreach (var k in depths)
            {
                foreach (var n in widths)
                {
                    var (alpha, beta) = (k + n) % 3 == 0 ? (1f, 0f) : (k + n) % 3 == 1 ? (-0.5f, 1f) : (2f, 0.75f);
                    Check(kernel, threads: 1 + (n % 3), transA: false, m, n, k, alpha, beta, padA: k % 3, padB: n % 4);
                }
            }
        }

        foreach (var k in depths)
        {
            Check(kernel, threads: 2, transA: true, m: 1, n: 37, k, alpha: 1f, beta: 0.5f, padA: 0, padB: 1); // A stored K × 1
        }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void EveryOutputFollowsTheDocumentedOrder(GemmKernel kernel)
    {
        foreach (var (m, n, k) in new[] { (1, 100, 768), (2, 45, 777), (1, 9, 5), (2, 70, 2048), (1, 33, 48) })
        {
            var a = KernelTestData.Random(m * k, 1);
            var b = KernelTestData.Random(n * k, 2);
            var old = KernelTestData.Random(m * n, 3);
            foreach (var threads in new[] { 1, 2, 3, 7 })
            {
                var c = (float[])old.Clone();
                Gemm.Multiply(kernel, threads, false, true, m, n, k, 0.9f, a, k, b, k, 0.4f, c, n);
                for (var i = 0; i < m; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        var sum = DocumentedDot(a.AsSpan(i * k, k), b.AsSpan(j * k, k));
                        var expected = MathF.FusedMultiplyAdd(0.9f, sum, 0.4f * old[(i * n) + j]);
                        Assert.True(
                            BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(c[(i * n) + j]),
                            $"{kernel}, {threads} threads, m={m} n={n} k={k}: C[{i},{j}] = {c[(i * n) + j]:R}, documented order gives {expected:R}");
                    }
                }
            }
        }
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        const int n = 2048, k = 768;
        var a = KernelTestData.Random(k, 4);
        var b = KernelTestData.Random(n * k, 5);
        var c = new float[n];
        Gemm.Multiply(Gemm.ActiveKernel, 1, false, true, 1, n, k, 1f, a, k, b, k, 0f, c, n);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            Gemm.Multiply(Gemm.ActiveKernel, 1, false, true, 1, n, k, 1f, a, k, b, k, 0f, c, n);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The order GemmDotRows documents, written out with scalars: 16 sums by depth mod 16, then folded in halves.</summary>
    private static float DocumentedDot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sums = new float[16];
        var whole = a.Length / 16 * 16;
        for (var p = 0; p < whole; p++)
        {
            sums[p % 16] = MathF.FusedMultiplyAdd(a[p], b[p], sums[p % 16]);
        }

        for (var p = whole; p < a.Length; p++)
        {
            sums[p - whole] = MathF.FusedMultiplyAdd(a[p], b[p], sums[p - whole]);
        }

        for (var half = 8; half >= 1; half /= 2)
        {
            for (var l = 0; l < half; l++)
            {
                sums[l] += sums[l + half];
            }
        }

        return sums[0];
    }

    private static void Check(GemmKernel kernel, int threads, bool transA, int m, int n, int k, float alpha, float beta, int padA, int padB)
    {
        int lda = (transA ? m : k) + padA, ldb = k + padB, ldc = n + 2;
        var seed = HashCode.Combine(m, n, k, transA);
        var a = KernelTestData.Random(((transA ? k : m) * lda) + padA, seed);
        var b = KernelTestData.Random((n * ldb) + padB, seed + 1);
        var c = KernelTestData.Random(m * ldc, seed + 2);
        var (expected, bound) = GemmReference.Multiply(transA, true, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        Gemm.Multiply(kernel, threads, transA, true, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var error = Math.Abs(c[(i * ldc) + j] - expected[(i * n) + j]);
                Assert.True(error <= bound[(i * n) + j],
                    $"{kernel} m={m} n={n} k={k} transA={transA}: C[{i},{j}] = {c[(i * ldc) + j]}, reference {expected[(i * n) + j]}, error {error} > bound {bound[(i * n) + j]}");
            }
        }
    }
}
