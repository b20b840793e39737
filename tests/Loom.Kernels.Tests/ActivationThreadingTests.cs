namespace Loom.Kernels.Tests;

/// <summary>The GELU forward kernels split long spans across threads: the same bits at every thread count, and the double reference.</summary>
public class ActivationThreadingTests
{
    [Theory]
    [InlineData(65_536)]
    [InlineData(200_003)]
    public void Gelu_forms_give_the_same_bits_at_every_thread_count(int n)
    {
        var x = KernelTestData.Random(n, 7, 6f);
        (Action<float[], float[]> Fast, Action<float[], float[]> Reference, string Name)[] forms =
        [
            ((a, b) => ActivationKernels.GeluErf(a, b), (a, b) => ActivationKernels.GeluErfScalar(a, b), "gelu"),
            ((a, b) => ActivationKernels.GeluTanh(a, b), (a, b) => ActivationKernels.GeluTanhScalar(a, b), "gelu tanh"),
        ];
        foreach (var (fast, reference, name) in forms)
        {
            var expected = new float[n];
            reference(x, expected);
            var single = Run(fast, x, 1);
            KernelTestData.AssertClose(expected, single, 1e-6f, 1e-6f, $"{name} n={n}");
            Assert.Equal(single, Run(fast, x, 2));
            Assert.Equal(single, Run(fast, x, 3));
        }
    }

    private static float[] Run(Action<float[], float[]> f, float[] x, int threads)
    {
        var saved = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = threads;
        try
        {
            var y = new float[x.Length];
            f(x, y);
            return y;
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }
}
