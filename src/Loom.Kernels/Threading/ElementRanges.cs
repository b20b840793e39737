// The split of one long elementwise pass across threads: vector-aligned, fixed by the length and the thread count,
// on the kernel worker pool.
namespace Loom.Kernels;

/// <summary>An elementwise pass y = f(x) over equal-length spans.</summary>
internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

/// <summary>Runs an elementwise pass over [0, n) as contiguous ranges, one per thread for spans long enough to pay for it.</summary>
internal static class ElementRanges
{
    /// <summary>Below this many elements per thread one thread does the whole span.</summary>
    public const int MinPerThread = 1 << 15;

    /// <summary>Every range but the last starts and ends on a multiple of this many elements.</summary>
    private const int Align = 64;

    /// <summary>Calls <paramref name="range"/>(start, length) for ranges that cover [0, <paramref name="n"/>) once.</summary>
    public static void For(int n, Action<int, int> range)
    {
        var parts = Math.Min(KernelOptions.DegreeOfParallelism, n / MinPerThread);
        if (parts <= 1)
        {
            range(0, n);
            return;
        }

        var block = ((n / parts) + Align - 1) / Align * Align;
        KernelParallel.For(parts, part =>
        {
            var start = Math.Min(part * block, n);
            range(start, part == parts - 1 ? n - start : Math.Min(block, n - start));
        });
    }

    /// <summary>Runs <paramref name="map"/> over equal-length spans, split into ranges as <see cref="For"/> does.</summary>
    public static unsafe void Map(ReadOnlySpan<float> x, Span<float> y, SpanMap map)
    {
        if (x.Length < 2 * MinPerThread)
        {
            map(x, y);
            return;
        }

        fixed (float* px = x)
        fixed (float* py = y)
        {
            var (x0, y0) = ((nint)px, (nint)py);
            For(x.Length, (start, length) =>
                map(new ReadOnlySpan<float>((float*)x0 + start, length), new Span<float>((float*)y0 + start, length)));
        }
    }
}
