// Every binary16 block scale as float32, looked up rather than converted: the integer-dot kernel reads one scale per
// 32 weights, and a table load costs less than QuantizedLayout.HalfToSingle's integer arithmetic in that loop.
namespace Loom.Kernels;

/// <summary>float32 values of all 65 536 binary16 bit patterns, pinned (256 KiB; a model's scales touch few lines).</summary>
internal static unsafe class QuantizedScaleTable
{
    private static readonly float[] s_values = Build();

    /// <summary>The first entry; entry <c>bits</c> is <see cref="QuantizedLayout.HalfToSingle"/>(bits).</summary>
    public static float* Values { get; } = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(s_values));

    private static float[] Build()
    {
        var values = GC.AllocateUninitializedArray<float>(1 << 16, pinned: true);
        for (var bits = 0; bits < values.Length; bits++)
        {
            values[bits] = QuantizedLayout.HalfToSingle((ushort)bits);
        }

        return values;
    }
}
