namespace Loom.Kernels;

/// <summary>
/// Per-thread pack buffers for <see cref="Gemm"/>: allocated once per thread on the pinned object heap,
/// grown only when a larger kernel needs them, so steady-state calls allocate nothing.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    private const int AlignmentFloats = 16; // 64 bytes: one cache line, one 512-bit vector.

    [ThreadStatic]
    private static GemmBuffers? t_current;

    private float[] _a = [];
    private float[] _b = [];

    /// <summary>64-byte-aligned space for one packed A block.</summary>
    public float* A { get; private set; }

    /// <summary>64-byte-aligned space for one packed B block.</summary>
    public float* B { get; private set; }

    /// <summary>The calling thread's buffers, with room for at least the given A and B blocks.</summary>
    public static GemmBuffers ForCurrentThread(int aFloats, int bFloats)
    {
        var buffers = t_current ??= new GemmBuffers();
        if (buffers._a.Length < aFloats + AlignmentFloats)
        {
            buffers._a = GC.AllocateUninitializedArray<float>(aFloats + AlignmentFloats, pinned: true);
            buffers.A = Align(buffers._a);
        }

        if (buffers._b.Length < bFloats + AlignmentFloats)
        {
            buffers._b = GC.AllocateUninitializedArray<float>(bFloats + AlignmentFloats, pinned: true);
            buffers.B = Align(buffers._b);
        }

        return buffers;
    }

    private static float* Align(float[] pinned)
    {
        // The array lives on the pinned object heap, so its address is stable for its whole life.
        var start = (nuint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref pinned[0]);
        var aligned = (start + 63) & ~(nuint)63;
        return (float*)aligned;
    }
}
