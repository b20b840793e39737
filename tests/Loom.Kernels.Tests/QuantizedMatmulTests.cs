using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="QuantizedMatmul"/> on every path this machine runs against a float64 product of the ggml block values,
/// against its scalar path, against dequantise-then-<see cref="Gemm"/>, across thread counts, and its input checks.
/// </summary>
public class QuantizedMatmulTests
{
    public static TheoryData<GemmKernel, QuantizedFormat> Paths()
    {
        var data = new TheoryData<GemmKernel, QuantizedFormat>();
        var kernels = new List<GemmKernel> { GemmKernel.Scalar };
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported)
        {
            kernels.Add(GemmKernel.Vector256);
        }

        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported)
        {
            kernels.Add(GemmKernel.Vector512);
        }

        foreach (var kernel in kernels)
        {
            data.Add(kernel, QuantizedFormat.Q8_0);
            data.Add(kernel, QuantizedFormat.Q4_0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryOutputLengthMatchesReference(GemmKernel kernel, QuantizedFormat format)
    {
        for (var n = 0; n <= 256; n++)
        {
            var k = 32 * (1 + (n % 8));
            var m = 1 + (n % 4); // streaming (1, 2) and panel (3, 4) paths
            Check(kernel, 2, format, n, k, m, seed: n);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryDepthMatchesReference(GemmKernel kernel, QuantizedFormat format)
    {
        for (var k = 0; k <= 256; k += 32)
        {
            foreach (var m in new[] { 1, 2, 3, 7 })
            {
                Check(kernel, 2, format, 37, k, m, seed: k + m);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void LargeShapesMatchReference(GemmKernel kernel, QuantizedFormat format)
    {
        Check(kernel, 2, format, 1000, 4096, 1, seed: 1);
        Check(kernel, 2, format, 300, 768, 17, seed: 2);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void VectorPathsAgreeWithScalarAndDequantisedGemm(GemmKernel kernel, QuantizedFormat format)
    {
        foreach (var (n, k, m) in new[] { (256, 768, 1), (96, 2048, 2), (130, 288, 9) })
        {
            var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: n + k);
            var x = KernelTestData.Random(m * k, seed: m);
            var scalar = Run(GemmKernel.Scalar, 1, format, weights, n, k, x, m);
            var vector = Run(kernel, 2, format, weights, n, k, x, m);
            var dense = new float[n * k];
            QuantizedRows.Dequantize(format, weights, dense);
            var gemm = new float[m * n];
            Gemm.Multiply(false, true, m, n, k, 1f, x, k, dense, k, 0f, gemm, n);
            var bound = BoundPerRow(dense, n, k, x, m);
            for (var i = 0; i < m * n; i++)
            {
                Assert.True(Math.Abs(vector[i] - scalar[i]) <= bound[i], $"{kernel} {format} vs scalar at {i}: {vector[i]:R} vs {scalar[i]:R} (limit {bound[i]:G3})");
                Assert.True(Math.Abs(vector[i] - gemm[i]) <= bound[i], $"{kernel} {format} vs dequantised GEMM at {i}: {vector[i]:R} vs {gemm[i]:R} (limit {bound[i]:G3})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void StreamingRowsHaveTheBitsOfGemmOnTheDequantisedMatrix(GemmKernel kernel, QuantizedFormat format)
    {
        // One or two rows: the weights are dequantised exactly in registers and summed in GemmDotRows' order.
        foreach (var (n, k, m) in new[] { (257, 768, 1), (66, 2048, 2), (5, 32, 1), (40, 96, 2) })
        {
            var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: n + k);
            var x = KernelTestData.Random(m * k, seed: m);
            var dense = new float[n * k];
            QuantizedRows.Dequantize(format, weights, dense);
            var gemm = new float[m * n];
            Gemm.Multiply(kernel, 1, false, true, m, n, k, 1f, x, k, dense, k, 0f, gemm, n);
            foreach (var threads in new[] { 1, 3 })
            {
                var y = Run(kernel, threads, format, weights, n, k, x, m);
                for (var i = 0; i < m * n; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(gemm[i]) == BitConverter.SingleToInt32Bits(y[i]),
                        $"{kernel} {format} n={n} k={k} m={m}, {threads} threads, output {i}: {y[i]:R}, dequantised GEMM {gemm[i]:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ResultDoesNotDependOnThreadCount(GemmKernel kernel, QuantizedFormat format)
    {
        foreach (var m in new[] { 1, 5 })
        {
            var (n, k) = (1000, 512);
            var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: 3);
            var x = KernelTestData.Random(m * k, seed: 4);
            var one = Run(kernel, 1, format, weights, n, k, x, m);
            foreach (var threads in new[] { 2, 3, 7 })
            {
                Assert.Equal(one, Run(kernel, threads, format, weights, n, k, x, m));
            }
        }
    }

    [Fact]
    public void RowOfAllZeroScalesGivesZero()
    {
        var weights = new byte[34 * 2];
        weights[2] = 100;
        var y = new float[1] { float.NaN };
        QuantizedMatmul.Multiply(QuantizedFormat.Q8_0, weights, 1, 64, KernelTestData.Random(64, 1), 1, y);
        Assert.Equal(0f, y[0]);
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        var x = new float[64];
        var y = new float[4];
        var partial = Assert.Throws<ArgumentException>(() => QuantizedMatmul.Multiply(QuantizedFormat.Q8_0, new byte[34], 1, 31, x, 1, y));
        Assert.Contains("multiple of 32", partial.Message, StringComparison.Ordinal);
        var bytes = Assert.Throws<ArgumentException>(() => QuantizedMatmul.Multiply(QuantizedFormat.Q4_0, new byte[35], 1, 64, x, 1, y));
        Assert.Contains("36 bytes; found 35", bytes.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => QuantizedMatmul.Multiply(QuantizedFormat.Q8_0, new byte[68], 1, 64, new float[63], 1, y));
        Assert.Throws<ArgumentException>(() => QuantizedMatmul.Multiply(QuantizedFormat.Q8_0, new byte[68 * 5], 5, 64, x, 1, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatmul.Multiply(QuantizedFormat.Q8_0, [], -1, 64, x, 1, y));
    }

    private static void Check(GemmKernel kernel, int threads, QuantizedFormat format, int n, int k, int m, int seed)
    {
        var weights = QuantizedTestData.RandomMatrix(format, n, k, seed);
        var x = KernelTestData.Random(m * k, seed + 1000);
        var y = Run(kernel, threads, format, weights, n, k, x, m);
        QuantizedTestData.AssertMatchesReference(format, weights, n, k, x, m, y, $"{kernel} {format} n={n} k={k} m={m}");
    }

    private static float[] Run(GemmKernel kernel, int threads, QuantizedFormat format, byte[] weights, int n, int k, float[] x, int m)
    {
        var y = Enumerable.Repeat(float.NaN, m * n).ToArray();
        QuantizedMatmul.Multiply(kernel, threads, format, weights, n, k, x, m, y);
        return y;
    }

    /// <summary>(k + 2)·2⁻²⁴·Σ|W·x| per output, doubled: two float32 results each within it of the exact value.</summary>
    private static double[] BoundPerRow(float[] dense, int n, int k, float[] x, int m)
    {
        var bound = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double magnitude = 0;
                for (var c = 0; c < k; c++)
                {
                    magnitude += Math.Abs((double)dense[(j * k) + c] * x[(i * k) + c]);
                }

                bound[(i * n) + j] = (2 * (k + 2) * Math.Pow(2, -24) * magnitude) + 1e-30;
            }
        }

        return bound;
    }
}
