// A fixed-partition parallel loop on the same worker threads as GEMM. Row-wise ops (norms, softmax, attention heads,
// activations) that run between products reuse the worker that is still spinning after the last product instead of
// waking thread-pool threads, and a product called inside a part runs on that part's thread (the pool is busy), so
// two levels of parallelism never put more threads than cores to work.
namespace Loom.Kernels;

/// <summary>Runs parts 0 … P − 1 of a loop: the caller runs part 0, pool workers the rest (or the caller all of them when the pool is busy).</summary>
public static class KernelParallel
{
    /// <summary>Calls <paramref name="body"/> once for each part in [0, <paramref name="parts"/>) and returns when all are done.</summary>
    /// <exception cref="InvalidOperationException">A part failed on a worker thread (the inner exception says why).</exception>
    public static void For(int parts, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (parts <= 1)
        {
            if (parts == 1)
            {
                body(0);
            }

            return;
        }

        KernelWorkerPool.Run(new DelegateJob(body), parts);
    }

    private sealed class DelegateJob(Action<int> body) : KernelJob
    {
        public override void RunPart(int part, int parts) => body(part);
    }
}
