using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>Same-shape binary ops on tensors long enough to be split across threads: elementwise the same as one thread.</summary>
public class ThreadedElementwiseTests
{
    [Fact]
    public void Binary_ops_give_the_same_bits_at_every_thread_count_and_match_scalar_arithmetic()
    {
        const int n = 20_011;
        var a = Tensor.Randn(new Generator(1), 7, n);
        var b = Tensor.Randn(new Generator(2), 7, n);
        var (xs, ys) = (a.ToArray(), b.ToArray());
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var saved = KernelOptions.DegreeOfParallelism;
            KernelOptions.DegreeOfParallelism = threads;
            try
            {
                Assert.Equal(xs.Zip(ys, (x, y) => x + y), (a + b).ToArray());
                Assert.Equal(xs.Zip(ys, (x, y) => x - y), (a - b).ToArray());
                Assert.Equal(xs.Zip(ys, (x, y) => x * y), (a * b).ToArray());
                Assert.Equal(xs.Zip(ys, (x, y) => x / y), (a / b).ToArray());
            }
            finally
            {
                KernelOptions.DegreeOfParallelism = saved;
            }
        }
    }
}
