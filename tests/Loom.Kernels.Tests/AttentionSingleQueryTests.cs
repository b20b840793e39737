namespace Loom.Kernels.Tests;

/// <summary>
/// The one-query-row attention path (decoding) against the double-loop reference <see cref="AttentionKernel.ForwardScalar"/>,
/// against the general <see cref="AttentionKernel.Forward"/>, and across its 512-bit, 256-bit and scalar code.
/// </summary>
public class AttentionSingleQueryTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes
    {
        get
        {
            var shapes = new TheoryData<int, int, int, bool, bool>();
            foreach (var tk in new[] { 1, 3, 17, 600 })
            {
                foreach (var (d, dv) in new[] { (1, 1), (7, 5), (64, 64), (64, 7), (7, 83), (64, 150) })
                {
                    shapes.Add(tk, d, dv, tk % 2 == 1, tk > 1);
                }
            }

            shapes.Add(600, 64, 64, false, false);
            return shapes;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReferenceAndGeneralPath(int tk, int d, int dv, bool causal, bool withMask)
    {
        var shape = new AttentionShape(1, tk, d, dv, 1f / MathF.Sqrt(d), causal);
        // Key/value rows are read with a stride larger than their width, as for cache views and (B, T, H, D) layouts.
        int ldk = d + 3, ldv = dv + 1;
        var q = KernelTestData.Random(d, 1, 2f);
        var k = KernelTestData.Random(((tk - 1) * ldk) + d, 2, 2f);
        var v = KernelTestData.Random(((tk - 1) * ldv) + dv, 3);
        var mask = withMask ? MaskWithHoles(tk, 4) : [];
        float[] probs = new float[tk], output = new float[dv];
        AttentionKernel.SingleQuery(shape, q, k, ldk, v, ldv, mask, probs, output);

        float[] probsRef = new float[tk], outputRef = new float[dv];
        AttentionKernel.ForwardScalar(shape, q, d, k, ldk, v, ldv, mask, 0, probsRef, outputRef);
        KernelTestData.AssertClose(probsRef, probs, 1e-6f, 1e-4f, "probabilities vs reference");
        KernelTestData.AssertClose(outputRef, output, 1e-5f, 1e-4f, "output vs reference");

        float[] probsGeneral = new float[tk], outputGeneral = new float[dv];
        AttentionKernel.Forward(shape, q, d, k, ldk, v, ldv, mask, 0, probsGeneral, outputGeneral);
        Assert.Equal(probsGeneral, probs); // the same scores (GemmDotRows) and the same softmax
        KernelTestData.AssertClose(outputGeneral, output, 1e-7f, 1e-5f, "output vs Forward");

        foreach (var kernel in new[] { GemmKernel.Scalar, GemmKernel.Vector256, GemmKernel.Vector512 })
        {
            float[] probsKernel = new float[tk], outputKernel = new float[dv];
            AttentionKernel.SingleQuery(kernel, shape, q, k, ldk, v, ldv, mask, probsKernel, outputKernel);
            Assert.Equal(probs, probsKernel);
            Assert.Equal(output, outputKernel);
        }
    }

    [Fact]
    public void OutputFollowsTheDocumentedOrder()
    {
        // o_c = fma(p_j, v_jc, o_c) for j = 0, 1, … starting from 0 (the other kernels give the same bits: see above).
        var shape = new AttentionShape(1, 300, 16, 37, 0.25f, false);
        var q = KernelTestData.Random(16, 5);
        var k = KernelTestData.Random(300 * 16, 6, 3f);
        var v = KernelTestData.Random(300 * 37, 7);
        var probs = new float[300];
        var output = new float[37];
        AttentionKernel.SingleQuery(shape, q, k, 16, v, 37, [], probs, output);
        for (var c = 0; c < 37; c++)
        {
            var sum = 0f;
            for (var j = 0; j < 300; j++)
            {
                sum = MathF.FusedMultiplyAdd(probs[j], v[(j * 37) + c], sum);
            }

            Assert.Equal(sum, output[c]);
        }
    }

    [Fact]
    public void FullyMaskedRowAveragesValuesAndNoKeysGiveZeros()
    {
        float[] q = [1, 2], k = [1, 0, 0, 1, 1, 1], v = [3, 6, 9];
        float[] mask = [float.NegativeInfinity, float.MinValue, float.NegativeInfinity];
        var output = new float[1];
        AttentionKernel.SingleQuery(new AttentionShape(1, 3, 2, 1, 1f, false), q, k, 2, v, 1, mask, new float[3], output);
        Assert.Equal(6f, output[0], 1e-5f);

        float[] empty = [float.NaN, float.NaN];
        AttentionKernel.SingleQuery(new AttentionShape(1, 0, 2, 2, 1f, true), q, [], 2, [], 2, [], [], empty);
        Assert.Equal([0f, 0f], empty);
    }

    [Fact]
    public void RejectsSeveralQueriesAndShortOperands()
    {
        float[] q = [1, 2], k = [1, 0, 0, 1], v = [3, 6];
        var output = new float[1];
        Assert.Throws<ArgumentException>(() => AttentionKernel.SingleQuery(new AttentionShape(2, 2, 2, 1, 1f, false), q, k, 2, v, 1, [], new float[4], output));
        Assert.Throws<ArgumentException>(() => AttentionKernel.SingleQuery(new AttentionShape(1, 2, 2, 1, 1f, false), q, k, 3, v, 1, [], new float[2], output));
        Assert.Throws<ArgumentException>(() => AttentionKernel.SingleQuery(new AttentionShape(1, 2, 2, 1, 1f, false), q, k, 2, v, 1, [0f], new float[2], output));
    }

    /// <summary>Random additive entries with about a third of the keys hidden by −∞ or the most negative float.</summary>
    private static float[] MaskWithHoles(int tk, int seed) =>
        [.. KernelTestData.Random(tk, seed).Select(x => x > 0.7f ? float.NegativeInfinity : x < -0.7f ? float.MinValue : x * 3f)];
}
