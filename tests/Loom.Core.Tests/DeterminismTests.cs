using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>Row-parallel ops give the same bits with one thread and with several (fixed partitions, no timing effects).</summary>
public class DeterminismTests
{
    [Fact]
    public void ResultsDoNotDependOnTheDegreeOfParallelism()
    {
        var saved = KernelOptions.DegreeOfParallelism;
        try
        {
            KernelOptions.DegreeOfParallelism = 1;
            var single = Run();
            KernelOptions.DegreeOfParallelism = 4;
            var several = Run();
            Assert.Equal(single.Length, several.Length);
            for (var i = 0; i < single.Length; i++)
            {
                Assert.Equal(single[i], several[i]);
            }
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }

    private static float[][] Run()
    {
        var rng = new Generator(5);
        var x = Tensor.Randn(rng, 4, 64, 256);                 // (B, T, C): 256 rows × 256, enough to split in parts
        var w = Tensor.Randn(rng, 256);
        var q = Tensor.Randn(rng, 2, 4, 64, 32);                // (B, H, T, D)
        var k = Tensor.Randn(rng, 2, 2, 64, 32);                // (B, KvH, T, D)
        var v = Tensor.Randn(rng, 2, 2, 64, 32);
        foreach (var t in new[] { x, w, q, k, v })
        {
            t.RequiresGrad = true;
        }

        var targets = IntTensor.FromArray(Enumerable.Range(0, 256).Select(i => i * 7 % 256).ToArray(), 4, 64);
        var loss = Tensor.CrossEntropy(x.LayerNorm(w, null).Softmax(-1) + x.RmsNorm(w), targets, labelSmoothing: 0.1f)
            + Tensor.ScaledDotProductAttention(q, k, v, causal: true).Pow(2f).Mean();
        loss.Backward();
        return [[loss.Item()], x.Grad!.ToArray(), w.Grad!.ToArray(), q.Grad!.ToArray(), k.Grad!.ToArray(), v.Grad!.ToArray()];
    }
}
