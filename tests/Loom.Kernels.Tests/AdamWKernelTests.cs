namespace Loom.Kernels.Tests;

/// <summary>The vectorised AdamW step against its scalar reference (bit for bit) and a hand-derived first step.</summary>
public class AdamWKernelTests
{
    [Fact]
    public void VectorStepIsBitIdenticalToScalar()
    {
        var settings = new AdamWSettings(1e-3, WeightDecay: 0.01);
        foreach (var n in KernelTestData.Lengths)
        {
            var p = KernelTestData.Random(n, n);
            var pRef = (float[])p.Clone();
            float[] m = new float[n], v = new float[n], mRef = new float[n], vRef = new float[n];
            for (var step = 1; step <= 3; step++)
            {
                var g = KernelTestData.Random(n, (n * 10) + step);
                AdamWKernel.Step(p, g, m, v, settings, step);
                AdamWKernel.StepScalar(pRef, g, mRef, vRef, settings, step);
            }

            Assert.Equal(pRef, p);
            Assert.Equal(mRef, m);
            Assert.Equal(vRef, v);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void ThreadedStepIsBitIdenticalToScalarForEveryThreadCount(int threads)
    {
        var settings = new AdamWSettings(1e-3, WeightDecay: 0.1);
        const int n = (1 << 18) + 13; // several parts with ragged ends
        var p = KernelTestData.Random(n, 1);
        var pRef = (float[])p.Clone();
        float[] m = new float[n], v = new float[n], mRef = new float[n], vRef = new float[n];
        for (var step = 1; step <= 2; step++)
        {
            var g = KernelTestData.Random(n, 10 + step);
            AdamWKernel.StepParallel(p, g, m, v, settings, step, threads);
            AdamWKernel.StepScalar(pRef, g, mRef, vRef, settings, step);
        }

        Assert.Equal(pRef, p);
        Assert.Equal(mRef, m);
        Assert.Equal(vRef, v);
    }

    [Fact]
    public void FirstStepMovesEachWeightByTheLearningRate()
    {
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g), after decay p·(1 − lr·λ).
        float[] p = [1f, -2f], g = [0.5f, -3f], m = new float[2], v = new float[2];
        AdamWKernel.Step(p, g, m, v, new AdamWSettings(0.1, WeightDecay: 0.5), 1);
        Assert.Equal((1f * 0.95f) - 0.1f, p[0], 1e-6f);
        Assert.Equal((-2f * 0.95f) + 0.1f, p[1], 1e-6f);
    }
}
