// Element conversions between the stored float formats and float32.
// IEEE 754 binary16 ("F16") converts through System.Half; bfloat16 ("BF16") is the upper half of a float32
// (Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning Training"), narrowed with round-to-nearest-even
// as PyTorch's c10::BFloat16 does, NaN kept quiet. All stored data is little-endian.
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Loom.Formats;

/// <summary>Span conversions between little-endian stored floats (F32, F16, BF16) and float32.</summary>
public static class FloatConversion
{
    /// <summary>Copies little-endian float32 bytes into <paramref name="destination"/>.</summary>
    public static void Float32BytesToFloat32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source.Length, 4, destination.Length);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
        }
    }

    /// <summary>Widens little-endian IEEE binary16 bytes to float32 (exact).</summary>
    public static void Float16BytesToFloat32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source.Length, 2, destination.Length);
        EnsureLittleEndian();
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
    }

    /// <summary>Widens little-endian bfloat16 bytes to float32 (exact: the bits become the upper half).</summary>
    public static void BFloat16BytesToFloat32(ReadOnlySpan<byte> source, Span<float> destination)
    {
        CheckLengths(source.Length, 2, destination.Length);
        EnsureLittleEndian();
        var halves = MemoryMarshal.Cast<byte, ushort>(source);
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        for (int i = 0; i < halves.Length; i++)
        {
            bits[i] = (uint)halves[i] << 16;
        }
    }

    /// <summary>Narrows float32 to little-endian IEEE binary16 bytes (round to nearest even).</summary>
    public static void Float32ToFloat16Bytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        CheckLengths(destination.Length, 2, source.Length);
        EnsureLittleEndian();
        TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
    }

    /// <summary>Narrows float32 to little-endian bfloat16 bytes (round to nearest even, NaN stays a quiet NaN).</summary>
    public static void Float32ToBFloat16Bytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        CheckLengths(destination.Length, 2, source.Length);
        EnsureLittleEndian();
        var bits = MemoryMarshal.Cast<float, uint>(source);
        var halves = MemoryMarshal.Cast<byte, ushort>(destination);
        for (int i = 0; i < bits.Length; i++)
        {
            halves[i] = Float32ToBFloat16Bits(bits[i]);
        }
    }

    /// <summary>The bfloat16 bit pattern nearest to the float32 with bits <paramref name="bits"/> (ties to even).</summary>
    public static ushort Float32ToBFloat16Bits(uint bits)
    {
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u);
        }

        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }

    private static void CheckLengths(int byteCount, int elementSize, int elementCount)
    {
        if ((long)elementCount * elementSize != byteCount)
        {
            throw new ArgumentException($"expected {(long)elementCount * elementSize} bytes for {elementCount} elements of {elementSize} bytes, found {byteCount} bytes");
        }
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("16-bit float conversion assumes a little-endian machine");
        }
    }
}
