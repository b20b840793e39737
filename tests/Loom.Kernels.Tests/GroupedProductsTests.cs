namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="GroupedProducts"/> against the single products it replaces: float32 (<see cref="Gemm"/>, B stored N × K) and
/// quantised (<see cref="QuantizedMatmul"/>, float32 and int8 activations) weights, each plus its bias with one float32
/// addition, must give the same bits for every path, thread count, odd shape and mix of weights; and one float32 group
/// against the float64 reference.
/// </summary>
public class GroupedProductsTests
{
    private enum Kind
    {
        Float32,
        Q8_0,
        Q4_0,
        Q8_0Int8,
        Q4_0Int8,
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void Float32GroupsEqualTheSingleProducts(GemmKernel kernel)
    {
        foreach (var k in new[] { 1, 5, 17, 64, 255, 769 })
        {
            foreach (var m in new[] { 1, 2 })
            {
                Check(kernel, m, k, [(Kind.Float32, 37, true), (Kind.Float32, 5, false), (Kind.Float32, 64, true)], seed: k + m);
                Check(kernel, m, k, [(Kind.Float32, 100, false), (Kind.Float32, 1, true), (Kind.Float32, 33, false)], seed: k * m);
            }
        }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void QuantizedGroupsEqualTheSingleProducts(GemmKernel kernel)
    {
        foreach (var k in new[] { 32, 96, 288 })
        {
            foreach (var m in new[] { 1, 2 })
            {
                Check(kernel, m, k, [(Kind.Q8_0, 37, true), (Kind.Q8_0, 70, false), (Kind.Q8_0, 3, true)], seed: k + m);
                Check(kernel, m, k, [(Kind.Q4_0, 65, false), (Kind.Q4_0, 31, true)], seed: k + (2 * m));
                Check(kernel, m, k, [(Kind.Q8_0Int8, 37, true), (Kind.Q8_0Int8, 96, false), (Kind.Q8_0Int8, 7, true)], seed: k + (3 * m));
                Check(kernel, m, k, [(Kind.Q4_0Int8, 41, false), (Kind.Q4_0Int8, 64, true)], seed: k + (4 * m));
            }
        }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void MixedGroupsEqualTheSingleProducts(GemmKernel kernel)
    {
        (Kind, int, bool)[] mixed = [(Kind.Q4_0Int8, 45, true), (Kind.Float32, 33, true), (Kind.Q8_0, 64, false), (Kind.Q8_0Int8, 9, false), (Kind.Q4_0, 50, true)];
        foreach (var m in new[] { 1, 2 })
        {
            Check(kernel, m, 160, mixed, seed: m);
        }
    }

    [Fact]
    public void Int8GroupsOfUpToEightRowsRunAsOneJob()
    {
        (Kind, int, bool)[] group = [(Kind.Q8_0Int8, 37, true), (Kind.Q4_0Int8, 70, false)];
        var weights = Weights(group, 64, seed: 1);
        foreach (var m in new[] { 3, 5, 8 })
        {
            Assert.True(GroupedProducts.RunsAsOneJob(m, 64, weights));
            Check(Gemm.ActiveKernel, m, 64, group, seed: m);
        }

        Assert.False(GroupedProducts.RunsAsOneJob(9, 64, weights));
    }

    [Fact]
    public void LargerInputsRunAsTheSingleProducts()
    {
        (Kind, int, bool)[] group = [(Kind.Float32, 37, true), (Kind.Q8_0, 40, true), (Kind.Q4_0Int8, 33, false)];
        Assert.True(GroupedProducts.RunsAsOneJob(2, 64, Weights(group, 64, seed: 1)));
        foreach (var m in new[] { 3, 9, 40 })
        {
            Assert.False(GroupedProducts.RunsAsOneJob(m, 64, Weights(group, 64, seed: 1)));
            Check(Gemm.ActiveKernel, m, 64, group, seed: m);
        }

        Assert.False(GroupedProducts.RunsAsOneJob(1, 0, Weights([(Kind.Float32, 3, true)], 0, seed: 1)));
        Check(Gemm.ActiveKernel, 2, 0, [(Kind.Float32, 3, true), (Kind.Q8_0, 5, false)], seed: 1); // k = 0: the bias (or zeros)
    }

    [Fact]
    public void AFloat32GroupMatchesTheFloat64Reference()
    {
        const int m = 2, k = 300;
        int[] rows = [70, 19];
        var x = KernelTestData.Random(m * k, 10);
        var w = rows.Select((n, i) => KernelTestData.Random(n * k, 20 + i)).ToArray();
        var y = rows.Select(n => new float[m * n]).ToArray();
        GroupedProducts.MultiplyTransposed(x, m, k, [GroupedWeight.Float32(w[0], rows[0]), GroupedWeight.Float32(w[1], rows[1])], [y[0], y[1]]);
        for (var g = 0; g < rows.Length; g++)
        {
            var (expected, bound) = GemmReference.Multiply(false, true, m, rows[g], k, 1f, x, k, w[g], k, 0f, new float[m * rows[g]], rows[g]);
            for (var e = 0; e < expected.Length; e++)
            {
                Assert.True(Math.Abs(y[g][e] - expected[e]) <= bound[e], $"weight {g}, element {e}: {y[g][e]:R} vs {expected[e]:R} (bound {bound[e]:G3})");
            }
        }
    }

    [Fact]
    public void ShapesAreChecked()
    {
        var x = new float[64];
        var weights = new[] { GroupedWeight.Float32(new float[4 * 64], 4), GroupedWeight.Quantized(QuantizedFormat.Q8_0, new byte[3 * 2 * 34], 3, QuantizedActivations.Int8) };
        Assert.Throws<ArgumentException>(() => GroupedProducts.MultiplyTransposed(x, 1, 64, weights, [new float[4]]));
        Assert.Throws<ArgumentException>(() => GroupedProducts.MultiplyTransposed(x, 1, 64, weights, [new float[3], new float[3]]));
        Assert.Throws<ArgumentException>(() => GroupedProducts.MultiplyTransposed(x, 1, 64, [GroupedWeight.Quantized(QuantizedFormat.Q8_0, new byte[34], 3, default)], [new float[3]]));
        Assert.Throws<ArgumentException>(() => GroupedWeight.Float32(new float[4 * 64], 4, new float[3]));
    }

    /// <summary>Asserts the grouped products of <paramref name="group"/> have the bits of the single products, on 1, 2 and 3 threads.</summary>
    private static void Check(GemmKernel kernel, int m, int k, (Kind Kind, int Rows, bool Bias)[] group, int seed)
    {
        var x = KernelTestData.Random(m * k, seed);
        var weights = Weights(group, k, seed);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var outputs = group.Select(g => new float[m * g.Rows]).ToArray();
            Array.ForEach(outputs, o => o.AsSpan().Fill(float.NaN)); // only written
            GroupedProducts.MultiplyTransposed(kernel, kernel, threads, x, m, k, weights, outputs.Select(o => new Memory<float>(o)).ToArray());
            for (var i = 0; i < group.Length; i++)
            {
                var expected = Single(kernel, threads, x, m, k, weights[i]);
                var context = $"{kernel}, {threads} threads, m = {m}, k = {k}, weight {i} ({group[i].Kind}, {group[i].Rows} rows, bias {group[i].Bias})";
                var (want, found) = (expected.Select(BitConverter.SingleToInt32Bits).ToArray(), outputs[i].Select(BitConverter.SingleToInt32Bits).ToArray());
                Assert.True(want.AsSpan().SequenceEqual(found), context);
            }
        }
    }

    /// <summary>The single product x · Wᵀ and then + b, as a linear layer computes it today.</summary>
    private static float[] Single(GemmKernel kernel, int threads, float[] x, int m, int k, GroupedWeight weight)
    {
        var n = weight.Rows;
        var y = new float[m * n];
        if (weight.IsQuantized)
        {
            QuantizedMatmul.Multiply(kernel, threads, weight.Format, weight.Blocks.Span, n, k, x, m, y, weight.Activations);
        }
        else
        {
            Gemm.Multiply(kernel, threads, false, true, m, n, k, 1f, x, Math.Max(1, k), weight.Values.Span, Math.Max(1, k), 0f, y, n);
        }

        for (var e = 0; e < y.Length && !weight.Bias.IsEmpty; e++)
        {
            y[e] += weight.Bias.Span[e % n];
        }

        return y;
    }

    private static GroupedWeight[] Weights((Kind Kind, int Rows, bool Bias)[] group, int k, int seed) =>
        [.. group.Select((g, i) =>
        {
            var bias = g.Bias ? KernelTestData.Random(g.Rows, seed + 100 + i) : null;
            return g.Kind switch
            {
                Kind.Float32 => GroupedWeight.Float32(KernelTestData.Random(g.Rows * k, seed + 200 + i), g.Rows, bias),
                Kind.Q8_0 or Kind.Q8_0Int8 => GroupedWeight.Quantized(QuantizedFormat.Q8_0, QuantizedTestData.RandomMatrix(QuantizedFormat.Q8_0, g.Rows, k, seed + i), g.Rows,
                    g.Kind == Kind.Q8_0Int8 ? QuantizedActivations.Int8 : QuantizedActivations.Float32, bias),
                _ => GroupedWeight.Quantized(QuantizedFormat.Q4_0, QuantizedTestData.RandomMatrix(QuantizedFormat.Q4_0, g.Rows, k, seed + i), g.Rows,
                    g.Kind == Kind.Q4_0Int8 ? QuantizedActivations.Int8 : QuantizedActivations.Float32, bias),
            };
        })];
}
