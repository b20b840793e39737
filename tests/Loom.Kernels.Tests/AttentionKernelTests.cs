namespace Loom.Kernels.Tests;

/// <summary>The attention kernel (GEMM + softmax) against its scalar double-loop reference.</summary>
public class AttentionKernelTests
{
    public static TheoryData<int, int, int, int, bool, bool> Shapes => new()
    {
        { 1, 1, 1, 1, false, false },
        { 5, 5, 8, 8, true, false },
        { 3, 7, 4, 6, true, true },
        { 7, 3, 16, 2, false, true },
        { 17, 33, 64, 64, true, true },
        { 1, 130, 32, 32, true, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackwardMatchReference(int tq, int tk, int d, int dv, bool causal, bool withMask)
    {
        var shape = new AttentionShape(tq, tk, d, dv, 1f / MathF.Sqrt(d), causal);
        // q/k/v rows are read with a stride larger than their width, as for (B, T, H, D) views.
        int ldq = d + 3, ldk = d + 1, ldv = dv + 2;
        var q = KernelTestData.Random(tq * ldq, 1, 2f);
        var k = KernelTestData.Random(tk * ldk, 2, 2f);
        var v = KernelTestData.Random(tk * ldv, 3);
        var mask = withMask ? KernelTestData.Random(tk, 4).Select(x => x > 0.6f ? float.MinValue : x).ToArray() : [];
        float[] probs = new float[tq * tk], probsRef = new float[tq * tk], output = new float[tq * dv], outputRef = new float[tq * dv];
        AttentionKernel.Forward(shape, q, ldq, k, ldk, v, ldv, mask, 0, probs, output);
        AttentionKernel.ForwardScalar(shape, q, ldq, k, ldk, v, ldv, mask, 0, probsRef, outputRef);
        KernelTestData.AssertClose(probsRef, probs, 1e-6f, 1e-4f, "probabilities");
        KernelTestData.AssertClose(outputRef, output, 1e-5f, 1e-4f, "output");
        Assert.DoesNotContain(output, float.IsNaN);

        var dOut = KernelTestData.Random(tq * dv, 5);
        float[] dq = new float[tq * d], dk = new float[tk * d], dvGrad = new float[tk * dv];
        float[] dqRef = new float[tq * d], dkRef = new float[tk * d], dvRef = new float[tk * dv];
        AttentionKernel.Backward(shape, q, ldq, k, ldk, v, ldv, probsRef, dOut, new float[tq * tk], dq, dk, dvGrad);
        AttentionKernel.BackwardScalar(shape, q, ldq, k, ldk, v, ldv, probsRef, dOut, new float[tq * tk], dqRef, dkRef, dvRef);
        KernelTestData.AssertClose(dqRef, dq, 1e-5f, 1e-3f, "dq");
        KernelTestData.AssertClose(dkRef, dk, 1e-5f, 1e-3f, "dk");
        KernelTestData.AssertClose(dvRef, dvGrad, 1e-5f, 1e-3f, "dv");
    }

    [Fact]
    public void FullyMaskedRowAveragesValuesInsteadOfNaN()
    {
        var shape = new AttentionShape(1, 3, 2, 1, 1f, false);
        float[] q = [1, 2], k = [1, 0, 0, 1, 1, 1], v = [3, 6, 9];
        float[] mask = [float.MinValue, float.MinValue, float.MinValue];
        var probs = new float[3];
        var output = new float[1];
        AttentionKernel.Forward(shape, q, 2, k, 2, v, 1, mask, 0, probs, output);
        Assert.Equal(6f, output[0], 1e-5f);
    }

    [Fact]
    public void CausalHidesLaterKeys()
    {
        // Tq = 2 queries are the last two of Tk = 3 positions: query 0 sees keys 0..1, query 1 sees all.
        var shape = new AttentionShape(2, 3, 1, 1, 1f, true);
        float[] q = [0, 0], k = [0, 0, 0], v = [1, 2, 4];
        var probs = new float[6];
        var output = new float[2];
        AttentionKernel.Forward(shape, q, 1, k, 1, v, 1, [], 0, probs, output);
        Assert.Equal([0.5f, 0.5f, 0f, 1f / 3, 1f / 3, 1f / 3], probs);
        Assert.Equal(1.5f, output[0], 1e-6f);
        Assert.Equal(7f / 3, output[1], 1e-6f);
    }
}
