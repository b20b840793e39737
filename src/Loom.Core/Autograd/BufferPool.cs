namespace Loom.Core.Autograd;

/// <summary>
/// Large float buffers that died, kept by exact length for the next op output of the same size (a training step
/// repeats the same shapes every step, the pattern PyTorch's caching allocator exploits). Only buffers nothing can
/// read any more come here: dead gradients and, when the caller releases the graph, dead activations
/// (<see cref="GradientFlow"/>), and released parameter gradients (<see cref="Tensor.ZeroGrad(bool)"/>). After each
/// full (gen-2) collection the pool drops the buffers that sat unused since the collection before, so it never pins
/// memory that later work no longer asks for. Thread-safe.
/// </summary>
internal static class BufferPool
{
    /// <summary>Smaller buffers are left to the GC (its small-object allocation is cheap).</summary>
    public const int MinLength = 1 << 12;

    private static readonly Dictionary<int, Stack<(float[] Buffer, int Epoch)>> Free = [];

    /// <summary>Counts full collections seen; a buffer returned before the previous one and still here is idle.</summary>
    private static int s_epoch;

    static BufferPool() => _ = new TrimAfterFullCollection();

    /// <summary>A dead buffer of exactly <paramref name="length"/> floats (stale contents), or a fresh uninitialised one.</summary>
    public static float[] Rent(int length) => Take(length) ?? GC.AllocateUninitializedArray<float>(length);

    /// <summary>A buffer of <paramref name="length"/> zeros, reusing a dead one when there is one.</summary>
    public static float[] RentZeroed(int length)
    {
        if (Take(length) is not { } buffer)
        {
            return new float[length];
        }

        Array.Clear(buffer);
        return buffer;
    }

    /// <summary>
    /// Keeps a buffer nobody refers to any more (the caller guarantees it). A buffer already here is not added twice,
    /// so two renters can never be handed the same one.
    /// </summary>
    public static void Return(float[] buffer)
    {
        if (buffer.Length < MinLength)
        {
            return;
        }

        lock (Free)
        {
            if (!Free.TryGetValue(buffer.Length, out var stack))
            {
                Free[buffer.Length] = stack = new Stack<(float[], int)>();
            }

            foreach (var (free, _) in stack)
            {
                if (ReferenceEquals(free, buffer))
                {
                    return;
                }
            }

            stack.Push((buffer, s_epoch));
        }
    }

    private static float[]? Take(int length)
    {
        if (length < MinLength)
        {
            return null;
        }

        lock (Free)
        {
            return Free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop().Buffer : null;
        }
    }

    /// <summary>Drops the buffers returned before the previous full collection and not taken since.</summary>
    private static void Trim()
    {
        lock (Free)
        {
            s_epoch++;
            foreach (var (length, stack) in Free.ToArray())
            {
                var kept = stack.Where(entry => entry.Epoch >= s_epoch - 1).Reverse().ToArray();
                Free[length] = new Stack<(float[], int)>(kept);
                if (kept.Length == 0)
                {
                    Free.Remove(length);
                }
            }
        }
    }

    /// <summary>
    /// An object that is finalised after each collection of its generation and re-registers itself: once promoted to
    /// gen 2, a callback after every full collection (the runtime's own array pool trims the same way).
    /// </summary>
    private sealed class TrimAfterFullCollection
    {
        ~TrimAfterFullCollection()
        {
            if (Environment.HasShutdownStarted)
            {
                return;
            }

            if (GC.GetGeneration(this) == GC.MaxGeneration)
            {
                Trim();
            }

            GC.ReRegisterForFinalize(this);
        }
    }
}
