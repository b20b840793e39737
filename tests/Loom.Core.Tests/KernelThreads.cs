using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>Runs a computation with a given kernel thread count and restores the previous one.</summary>
internal static class KernelThreads
{
    public static Tensor With(int threads, Func<Tensor> compute)
    {
        var saved = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = threads;
        try
        {
            return compute();
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }
}
