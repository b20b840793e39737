using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="Gemm"/> against the float64 <see cref="GemmReference"/> on every kernel this machine can run,
/// all four transpose combinations, odd shapes, padded strides and alpha/beta, plus determinism and input checks.
/// </summary>
public class GemmTests
{
    private const float Sentinel = -12345.5f;

    /// <summary>The kernels this process can run at speed (the scalar one always).</summary>
    public static TheoryData<GemmKernel> Kernels() => new(AvailableKernels());

    private static GemmKernel[] AvailableKernels()
    {
        var kernels = new List<GemmKernel> { GemmKernel.Scalar };
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            kernels.Add(GemmKernel.Vector256);
        }

        if (Vector512.IsHardwareAccelerated && Fma.IsSupported)
        {
            kernels.Add(GemmKernel.Vector512);
        }

        return [.. kernels];
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EverySmallShapeMatchesReference(GemmKernel kernel)
    {
        var scalars = new (float Alpha, float Beta)[] { (1f, 0f), (-0.5f, 1f), (2f, 0.75f) };
        foreach (var (transA, transB) in TransposeCombos())
        {
            for (var m = 1; m <= 20; m++)
            {
                for (var n = 1; n <= 40; n++)
                {
                    var k = ((m * 7) + (n * 3)) % 41;
                    var (alpha, beta) = scalars[(m + n) % scalars.Length];
                    Check(kernel, 1, transA, transB, m, n, k, alpha, beta, padA: m % 3, padB: (n % 2) * 5, padC: 3);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryDepthMatchesReference(GemmKernel kernel)
    {
        int[] depths = [.. Enumerable.Range(0, 70), 255, 256, 257, 300, 513];
        foreach (var (transA, transB) in TransposeCombos())
        {
            foreach (var k in depths)
            {
                Check(kernel, 1, transA, transB, m: 9, n: 33, k, alpha: 1.5f, beta: 0.5f, padA: 1, padB: 2, padC: 0);
                Check(kernel, 1, transA, transB, m: 3, n: 19, k, alpha: -1f, beta: 2f, padA: 0, padB: 1, padC: 2);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void LargeShapesMatchReferenceOnSeveralThreads(GemmKernel kernel)
    {
        foreach (var (transA, transB) in TransposeCombos())
        {
            // Crosses the Nc, Kc and Mc block edges of every kernel; split by columns, then by rows.
            Check(kernel, 3, transA, transB, m: 203, n: 2085, k: 530, alpha: 1f, beta: 0f, padA: 0, padB: 3, padC: 1);
            Check(kernel, 2, transA, transB, m: 397, n: 37, k: 301, alpha: -1f, beta: 1f, padA: 5, padB: 0, padC: 0);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void BetaZeroIgnoresNaNInC(GemmKernel kernel)
    {
        const int m = 13, n = 35, k = 20;
        var a = RandomMatrix(m * k, 1);
        var b = RandomMatrix(k * n, 2);
        var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        Gemm.Multiply(kernel, 1, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        Assert.All(c, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ZeroDepthOrZeroAlphaScalesC()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        Gemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0.5f, c, 2);
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);
        Gemm.Multiply(false, false, 2, 2, 1, 0f, [9f, 9f], 1, [9f, 9f], 2, 0f, c, 2);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void ResultBitsDoNotDependOnRunThreadCountOrKernel()
    {
        const int m = 150, n = 700, k = 300;
        var a = RandomMatrix(m * k, 3);
        var b = RandomMatrix(n * k, 4);
        var first = Run(Gemm.ActiveKernel, 1);
        foreach (var kernel in AvailableKernels())
        {
            foreach (var threads in new[] { 1, 2, 3, 4, 7 })
            {
                Assert.Equal(first, Run(kernel, threads));
            }
        }

        float[] Run(GemmKernel kernel, int threads)
        {
            var c = RandomMatrix(m * n, 5);
            Gemm.Multiply(kernel, threads, false, true, m, n, k, 0.7f, a, k, b, k, 0.3f, c, n);
            return c;
        }
    }

    [Fact]
    public void FewRowsGiveTheSameBitsAsInsideALargeProduct()
    {
        // With B stored K × N, m ≤ 4 takes the unpacked path; its rows must equal the packed path's rows bit for bit.
        // (One or two rows against B stored N × K are dot products in another order: GemmDotRowsTests.)
        const int m = 11, n = 75, k = 530;
        foreach (var kernel in AvailableKernels())
        {
            foreach (var (transA, transB) in TransposeCombos())
            {
                var lda = transA ? m : k;
                var ldb = transB ? k : n;
                var a = RandomMatrix(m * k, 10);
                var b = RandomMatrix(n * k, 11);
                var whole = RandomMatrix(m * n, 12);
                var old = (float[])whole.Clone();
                Gemm.Multiply(kernel, 2, transA, transB, m, n, k, 0.9f, a, lda, b, ldb, 0.4f, whole, n);
                foreach (var (row, rows) in new[] { (0, 1), (5, 1), (1, 3), (7, 4) }.Where(r => !transB || r.Item2 > GemmDotRows.MaxRows))
                {
                    var part = old.AsSpan(row * n, rows * n).ToArray();
                    var aPart = transA ? a.AsSpan(row) : a.AsSpan(row * k);
                    Gemm.Multiply(kernel, 2, transA, transB, rows, n, k, 0.9f, aPart, lda, b, ldb, 0.4f, part, n);
                    Assert.Equal(whole.AsSpan(row * n, rows * n).ToArray(), part);
                }
            }
        }
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        const int m = 64, n = 256, k = 128;
        var a = RandomMatrix(m * k, 6);
        var b = RandomMatrix(k * n, 7);
        var expected = new float[m * n];
        Gemm.Multiply(GemmKernel.Scalar, 1, false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n);
        var results = new float[8][];
        Parallel.For(0, results.Length, i =>
        {
            var c = new float[m * n];
            Gemm.Multiply(Gemm.ActiveKernel, 2, false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            results[i] = c;
        });
        Assert.All(results, c => Assert.Equal(expected, c));
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        const int m = 96, n = 512, k = 300;
        var a = RandomMatrix(m * k, 8);
        var b = RandomMatrix(n * k, 9);
        var c = new float[m * n];
        Gemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            Gemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadInputRaisesClearErrors()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var stride = Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Contains("expected a row stride of at least 3, found 2", stride.Message, StringComparison.Ordinal);
        var shortC = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c.AsSpan(0, 3), 2));
        Assert.Contains("operand C is stored 2 × 2 with row stride 2: expected at least 4 elements, found 3", shortC.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.DegreeOfParallelism = 0);
    }

    private static IEnumerable<(bool TransA, bool TransB)> TransposeCombos() =>
        [(false, false), (false, true), (true, false), (true, true)];

    /// <summary>
    /// Runs one product with padded strides and compares every element of C with the reference bound;
    /// the padding between rows and after the last row must keep its sentinel value.
    /// </summary>
    private static void Check(
        GemmKernel kernel, int threads, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int padA, int padB, int padC)
    {
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        int lda = Math.Max(1, aCols) + padA, ldb = Math.Max(1, bCols) + padB, ldc = n + padC;
        var seed = HashCode.Combine(m, n, k, transA, transB);
        var a = RandomMatrix((aRows * lda) + padA, seed);
        var b = RandomMatrix((bRows * ldb) + padB, seed + 1);
        var c = RandomMatrix((m * ldc) + 7, seed + 2);
        for (var i = 0; i < m; i++)
        {
            c.AsSpan((i * ldc) + n, padC).Fill(Sentinel);
        }

        c.AsSpan(m * ldc).Fill(Sentinel);
        var (expected, bound) = GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        Gemm.Multiply(kernel, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var error = Math.Abs(c[(i * ldc) + j] - expected[(i * n) + j]);
                if (!(error <= bound[(i * n) + j]))
                {
                    Assert.Fail($"{kernel} transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta}: " +
                                $"C[{i},{j}] = {c[(i * ldc) + j]}, reference {expected[(i * n) + j]}, error {error} > bound {bound[(i * n) + j]}");
                }
            }

            Assert.All(c.AsSpan((i * ldc) + n, padC).ToArray(), v => Assert.Equal(Sentinel, v));
        }

        Assert.All(c.AsSpan(m * ldc).ToArray(), v => Assert.Equal(Sentinel, v));
    }

    private static float[] RandomMatrix(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
