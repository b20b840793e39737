// Transparent huge pages for long-lived arrays that are streamed end to end, such as model weights during decoding.
// A decode step reads every weight once; with 4 KiB pages that is a TLB miss and a page walk every 4 KiB and hardware
// prefetchers that stop at each page boundary. Linux can back a range with 2 MiB pages instead: madvise(MADV_HUGEPAGE)
// marks it for the kernel's background collapsing (when /sys/kernel/mm/transparent_hugepage/enabled is "always" or
// "madvise"), and MADV_COLLAPSE (Linux 6.1 and later, whatever that mode) moves memory that is already written into huge
// pages right away. Both keep the contents, so advising 2 MiB chunks that an array shares with its heap neighbours is
// harmless. On the development machine a one-thread float32 sweep over stories110M-shaped weights ran 1.1–1.5× faster
// after the advice. Elsewhere (other operating systems, kernels without THP) the advice is refused and nothing changes.
using System.Runtime.InteropServices;

namespace Loom.Kernels;

/// <summary>Asks the operating system to back large arrays with huge pages (Linux transparent huge pages); a hint only.</summary>
public static unsafe partial class HugePages
{
    /// <summary>The huge page size the advice works in (x86-64 and arm64 Linux with 4 KiB base pages).</summary>
    public const int PageBytes = 2 << 20;

    private const int AdviseHugePage = 14; // MADV_HUGEPAGE
    private const int AdviseCollapse = 25; // MADV_COLLAPSE

    /// <summary>
    /// Advises the 2 MiB chunks that hold <paramref name="array"/> to be huge pages and collapses them now; returns the
    /// bytes of the chunks the kernel collapsed (0 when the advice is refused or the array is under <see cref="PageBytes"/>).
    /// The array's contents are unchanged; it should be long-lived (a garbage collector that moves it leaves the advice behind).
    /// </summary>
    public static long Advise<T>(T[] array)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        var bytes = (long)array.Length * sizeof(T);
        if (!OperatingSystem.IsLinux() || bytes < PageBytes)
        {
            return 0;
        }

        try
        {
            return Collapse(array, bytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0; // a Linux without a loadable libc madvise: no advice
        }
    }

    private static long Collapse<T>(T[] array, long bytes)
        where T : unmanaged
    {
        fixed (T* data = array)
        {
            var first = (long)data & -PageBytes;
            var end = ((long)data + bytes + PageBytes - 1) & -PageBytes;
            _ = Madvise((nint)first, (nuint)(end - first), AdviseHugePage); // refused in part where a chunk edge is unmapped
            long collapsed = 0;
            for (var chunk = first; chunk < end; chunk += PageBytes)
            {
                collapsed += Madvise((nint)chunk, PageBytes, AdviseCollapse) == 0 ? PageBytes : 0;
            }

            return collapsed;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
