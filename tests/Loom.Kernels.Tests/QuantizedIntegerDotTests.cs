using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels.Tests;

/// <summary>
/// The integer-dot path of <see cref="QuantizedMatmul"/> (<see cref="QuantizedActivations.Int8"/>): the activation
/// quantiser against its definition, the product against a float64 sum of the integer block products, every vector path
/// against the scalar one bit for bit, thread-count independence, and its distance from the float32 path.
/// </summary>
public unsafe class QuantizedIntegerDotTests
{
    public static TheoryData<GemmKernel, QuantizedFormat> Paths() => QuantizedMatmulTests.Paths();

    [Fact]
    public void ActivationBlocksFollowTheirDefinitionOnBothPaths()
    {
        var x = KernelTestData.Random(32 * 40, seed: 5, scale: 3f);
        x.AsSpan(32, 32).Clear(); // an all-zero block: scale 0, values 0
        x[70] = 2.5f * (x[64..96].Max(Math.Abs) / 127f); // near a tie
        var (values, scales, quadSums) = Quantize(x, vector: false);
        var (vectorValues, vectorScales, vectorQuadSums) = Quantize(x, vector: true);
        Assert.Equal(values, vectorValues);
        Assert.Equal(scales, vectorScales);
        Assert.Equal(quadSums, vectorQuadSums);
        Assert.Equal(Enumerable.Range(0, x.Length / 4).Select(l => 8 * values.Skip(4 * l).Take(4).Sum(v => (int)v)), quadSums);
        for (var b = 0; b < scales.Length; b++)
        {
            var block = x.AsSpan(b * 32, 32).ToArray();
            var max = block.Max(Math.Abs);
            Assert.Equal(max / 127f, scales[b]);
            Assert.Equal(max == 0 ? 0 : 127, values.AsSpan(b * 32, 32).ToArray().Max(v => Math.Abs((int)v)));
            for (var i = 0; i < 32; i++)
            {
                Assert.True(Math.Abs(block[i] - (values[(b * 32) + i] * (double)scales[b])) <= (scales[b] * 0.5000001) + 1e-30,
                    $"block {b} value {i}: {block[i]:R} → {values[(b * 32) + i]} × {scales[b]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryDepthMatchesTheIntegerReference(GemmKernel kernel, QuantizedFormat format)
    {
        for (var k = 32; k <= 256; k += 32)
        {
            foreach (var (n, m) in new[] { (37, 1), (8, 2), (13, 3), (64, QuantizedMatmul.MaxIntegerRows) })
            {
                Check(kernel, 2, format, n, k, m, seed: k + m);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void LargeShapesMatchTheIntegerReference(GemmKernel kernel, QuantizedFormat format)
    {
        Check(kernel, 2, format, 1000, 4096, 1, seed: 1);
        Check(kernel, 2, format, 300, 2048, 5, seed: 2);
        Check(kernel, 3, format, 2048, 768, 1, seed: 3);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void VectorPathsHaveTheBitsOfTheScalarPathAtAnyThreadCount(GemmKernel kernel, QuantizedFormat format)
    {
        foreach (var (n, k, m) in new[] { (257, 768, 1), (66, 2048, 2), (5, 32, 1), (130, 288, 8), (1000, 512, 3) })
        {
            var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: n + k);
            var x = KernelTestData.Random(m * k, seed: m);
            var scalar = Run(GemmKernel.Scalar, 1, format, weights, n, k, x, m, QuantizedActivations.Int8);
            foreach (var threads in new[] { 1, 2, 7 })
            {
                AssertSameBits(scalar, Run(kernel, threads, format, weights, n, k, x, m, QuantizedActivations.Int8), $"{kernel} {format} n={n} k={k} m={m}, {threads} threads");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryRowCountAndOddBlockCountHasTheBitsOfTheScalarPath(GemmKernel kernel, QuantizedFormat format)
    {
        // 1–9 rows of W (whole groups of four and every remainder) and 75 (split across two threads from m = 2);
        // odd numbers of blocks, so nothing relies on pairs of blocks.
        foreach (var k in new[] { 32, 96, 160, 288, 544 })
        {
            foreach (var n in Enumerable.Range(1, 9).Append(75))
            {
                for (var m = 1; m <= 3; m++)
                {
                    var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: (7 * n) + k);
                    var x = KernelTestData.Random(m * k, seed: m + k, scale: 2f);
                    var scalar = Run(GemmKernel.Scalar, 1, format, weights, n, k, x, m, QuantizedActivations.Int8);
                    foreach (var threads in new[] { 1, 2 })
                    {
                        AssertSameBits(scalar, Run(kernel, threads, format, weights, n, k, x, m, QuantizedActivations.Int8), $"{kernel} {format} n={n} k={k} m={m}, {threads} threads");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void MoreRowsThanTheIntegerPathTakesKeepTheFloat32Path(GemmKernel kernel, QuantizedFormat format)
    {
        var (n, k, m) = (40, 256, QuantizedMatmul.MaxIntegerRows + 1);
        var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: 9);
        var x = KernelTestData.Random(m * k, seed: 10);
        Assert.Equal(Run(kernel, 2, format, weights, n, k, x, m, QuantizedActivations.Float32), Run(kernel, 2, format, weights, n, k, x, m, QuantizedActivations.Int8));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void DistanceFromTheFloat32PathIsBoundedByTheActivationRounding(GemmKernel kernel, QuantizedFormat format)
    {
        // |Σ w·x − Σ w·q·d| ≤ Σ_b (d_b / 2)·Σ|w| over block b, plus float32 rounding of both products.
        var (n, k, m) = (200, 768, 2);
        var weights = QuantizedTestData.RandomMatrix(format, n, k, seed: 11);
        var x = KernelTestData.Random(m * k, seed: 12);
        var exact = Run(kernel, 2, format, weights, n, k, x, m, QuantizedActivations.Float32);
        var integer = Run(kernel, 2, format, weights, n, k, x, m, QuantizedActivations.Int8);
        var (_, scales, _) = Quantize(x, vector: false);
        double largest = 0;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double bound = 0, magnitude = 0;
                for (var c = 0; c < k; c++)
                {
                    var w = Math.Abs(QuantizedTestData.Value(format, weights, k, j, c));
                    bound += w * scales[((i * k) + c) / 32] / 2;
                    magnitude += w * Math.Abs(x[(i * k) + c]);
                }

                bound += 2 * (k + 2) * Math.Pow(2, -24) * (magnitude + bound);
                var difference = Math.Abs(integer[(i * n) + j] - exact[(i * n) + j]);
                Assert.True(difference <= bound, $"{kernel} {format} y[{i}, {j}]: int8 {integer[(i * n) + j]:R}, float32 {exact[(i * n) + j]:R} (limit {bound:G3})");
                largest = Math.Max(largest, difference / bound);
            }
        }

        Assert.True(largest > 0.01, $"the int8 path should differ from the float32 one; largest difference / bound = {largest:G3}");
    }

    private static (sbyte[] Values, float[] Scales, int[] QuadSums) Quantize(float[] x, bool vector)
    {
        var values = new sbyte[x.Length];
        var scales = new float[x.Length / 32];
        var quadSums = new int[x.Length / 4];
        fixed (float* input = x)
        fixed (sbyte* q = values)
        fixed (float* d = scales)
        fixed (int* s = quadSums)
        {
            QuantizedActivationRows.Quantize(input, x.Length, q, d, s, vector && Avx2.IsSupported);
        }

        return (values, scales, quadSums);
    }

    /// <summary>
    /// Asserts y equals Σ_b d_w·d_x·Σ q_w·q_x in float64 (activations quantised by their definition: d = max|x| / 127,
    /// q = round(x / d)) within (k + 2)·2⁻²⁴ of the sum of magnitudes.
    /// </summary>
    private static void Check(GemmKernel kernel, int threads, QuantizedFormat format, int n, int k, int m, int seed)
    {
        var weights = QuantizedTestData.RandomMatrix(format, n, k, seed);
        var x = KernelTestData.Random(m * k, seed + 1000);
        var y = Run(kernel, threads, format, weights, n, k, x, m, QuantizedActivations.Int8);
        for (var i = 0; i < m; i++)
        {
            var (q, d) = Definition(x.AsSpan(i * k, k));
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var c = 0; c < k; c++)
                {
                    var product = QuantizedTestData.Value(format, weights, k, j, c) * q[c] * d[c / 32];
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                var limit = ((k + 2) * Math.Pow(2, -24) * magnitude) + 1e-30;
                Assert.True(Math.Abs(y[(i * n) + j] - sum) <= limit, $"{kernel} {format} n={n} k={k} m={m}: y[{i}, {j}] expected {sum:R}, found {y[(i * n) + j]:R} (limit {limit:G3})");
            }
        }
    }

    private static (int[] Values, float[] Scales) Definition(ReadOnlySpan<float> x)
    {
        var values = new int[x.Length];
        var scales = new float[x.Length / 32];
        for (var b = 0; b < scales.Length; b++)
        {
            var block = x.Slice(b * 32, 32);
            var max = 0f;
            foreach (var v in block)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            scales[b] = max / 127f;
            var inverse = max == 0 ? 0f : 1f / scales[b];
            for (var i = 0; i < 32; i++)
            {
                values[(b * 32) + i] = (int)Math.Round(block[i] * inverse, MidpointRounding.ToEven);
            }
        }

        return (values, scales);
    }

    private static void AssertSameBits(float[] scalar, float[] y, string context)
    {
        for (var i = 0; i < scalar.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(scalar[i]) == BitConverter.SingleToInt32Bits(y[i]), $"{context}, output {i}: {y[i]:R}, scalar {scalar[i]:R}");
        }
    }

    private static float[] Run(GemmKernel kernel, int threads, QuantizedFormat format, byte[] weights, int n, int k, float[] x, int m, QuantizedActivations activations)
    {
        var y = Enumerable.Repeat(float.NaN, m * n).ToArray();
        QuantizedMatmul.Multiply(kernel, threads, format, weights, n, k, x, m, y, activations);
        return y;
    }
}
