using Loom.Kernels;

namespace Loom.Core;

/// <summary>
/// Splits independent rows (or heads) into a fixed number of contiguous ranges that depends only on the work size and
/// <see cref="KernelOptions.DegreeOfParallelism"/>, never on timing: each row is computed the same way on any
/// thread, so results are bit-identical for every thread count. The parts run on the GEMM worker threads
/// (<see cref="KernelParallel"/>).
/// </summary>
internal static class ParallelRows
{
    /// <summary>Below this many floats of work a call stays on the calling thread.</summary>
    private const long MinWorkPerPart = 1 << 15;

    public static void For(int rows, long floatsPerRow, Action<int, int> body)
    {
        var parts = (int)Math.Clamp(rows * Math.Max(floatsPerRow, 1) / MinWorkPerPart, 1, Math.Min(KernelOptions.DegreeOfParallelism, Math.Max(rows, 1)));
        if (parts == 1)
        {
            body(0, rows);
            return;
        }

        KernelParallel.For(parts, p => body((int)((long)p * rows / parts), (int)((long)(p + 1) * rows / parts)));
    }
}
