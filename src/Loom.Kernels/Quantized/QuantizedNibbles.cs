// Unpacking Q4_0 bytes in registers: low nibbles are values 0..15 of a block, high nibbles 16..31, each offset by 8
// (ggml-common.h block_q4_0).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>Register helpers shared by the Q4_0 vector paths.</summary>
internal static class QuantizedNibbles
{
    /// <summary>16 packed bytes → (values 0..15, values 16..31) as signed bytes in [−8, 7].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<sbyte> Low, Vector128<sbyte> High) Split(Vector128<byte> packed)
    {
        var mask = Vector128.Create((byte)0x0F);
        var eight = Vector128.Create((sbyte)8);
        var low = Sse2.And(packed, mask).AsSByte();
        var high = Sse2.And(Sse2.ShiftRightLogical(packed.AsUInt16(), 4).AsByte(), mask).AsSByte();
        return (Sse2.Subtract(low, eight), Sse2.Subtract(high, eight));
    }

    /// <summary>The low 8 signed bytes as 8 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Widen8(Vector128<sbyte> values) => Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(values));

    /// <summary>16 signed bytes as 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Widen16(Vector128<sbyte> values) => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(values));
}
