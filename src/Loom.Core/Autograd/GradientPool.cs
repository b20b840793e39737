namespace Loom.Core.Autograd;

/// <summary>
/// Gradient buffers that died during one backward sweep, kept by exact length for the next gradient of the same size
/// (transformer blocks repeat the same shapes). Only <see cref="GradientFlow"/> returns buffers here, and only ones
/// nothing can read any more; the pool lives for one sweep and serves the thread running it.
/// </summary>
internal sealed class GradientPool
{
    /// <summary>Smaller buffers are left to the GC (its small-object allocation is cheap).</summary>
    public const int MinLength = 1 << 12;

    [ThreadStatic]
    private static GradientPool? t_current;

    private readonly Dictionary<int, Stack<float[]>> _free = [];

    /// <summary>The pool of the sweep running on this thread, if any.</summary>
    public static GradientPool? Current => t_current;

    /// <summary>Makes this the current thread's pool until the returned scope is disposed.</summary>
    public Scope Activate()
    {
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    /// <summary>A dead buffer of exactly <paramref name="length"/> floats (stale contents), or null.</summary>
    public float[]? Take(int length) =>
        _free.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : null;

    /// <summary>Keeps a buffer nobody refers to any more.</summary>
    public void Return(float[] buffer)
    {
        if (buffer.Length < MinLength)
        {
            return;
        }

        if (!_free.TryGetValue(buffer.Length, out var stack))
        {
            _free[buffer.Length] = stack = new Stack<float[]>();
        }

        stack.Push(buffer);
    }

    /// <summary>Restores the previous pool of the thread.</summary>
    public readonly struct Scope(GradientPool? previous) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => t_current = previous;
    }
}
