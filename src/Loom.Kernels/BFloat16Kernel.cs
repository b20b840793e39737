// bfloat16 ("brain floating point", Wang and Kanwar, Google Cloud blog 2019; Kalamkar et al., "A Study of BFLOAT16 for
// Deep Learning Training", arXiv:1905.12322): the top 16 bits of an IEEE-754 float32 — sign, the full 8-bit exponent,
// 7 mantissa bits. Rounding float32 to bfloat16 is an integer add on the bit pattern (round to nearest, ties to even,
// as the vcvtneps2bf16 instruction and PyTorch's c10::BFloat16 do); NaN stays a quiet NaN of the same sign.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Loom.Kernels;

/// <summary>Rounds float32 values to the nearest bfloat16, kept in float32 storage (the low 16 bits become zero).</summary>
/// <remarks>
/// Overflow rounds to ±∞ (values at or above 2¹²⁸ · (1 − 2⁻⁹)), ±∞ stays ±∞, subnormals round like normal numbers
/// (bfloat16 has the same subnormal range as float32; nothing is flushed to zero), and every NaN becomes a quiet NaN
/// with the same sign and the top bits of its payload.
/// </remarks>
public static class BFloat16Kernel
{
    private const uint LowHalf = 0x0000_FFFFu;
    private const uint HighHalf = 0xFFFF_0000u;
    private const uint QuietBit = 0x0040_0000u;

    /// <summary>The bfloat16 nearest to <paramref name="value"/> (ties to even), as a float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return BitConverter.UInt32BitsToSingle((bits | QuietBit) & HighHalf);
        }

        // Adding 0x7FFF plus the lowest kept bit carries into the kept half exactly when the dropped half is above
        // one half, or equal to it with an odd kept half; a carry out of the mantissa bumps the exponent (to ∞ at the top).
        return BitConverter.UInt32BitsToSingle((bits + (LowHalf >> 1) + ((bits >> 16) & 1u)) & HighHalf);
    }

    /// <summary><c>destination[i] = Round(source[i])</c>; the spans may be the same memory.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Round(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"BFloat16Kernel.Round: source has {source.Length} elements, destination {destination.Length}.", nameof(destination));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            RoundVector512(source, destination);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            RoundVector256(source, destination);
        }
        else
        {
            RoundScalar(source, destination);
        }
    }

    /// <summary>The 512-bit path (tests call each path directly, so narrower hardware paths are covered too).</summary>
    internal static void RoundVector512(ReadOnlySpan<float> source, Span<float> destination)
    {
        var i = 0;
        for (; i + Vector512<float>.Count <= source.Length; i += Vector512<float>.Count)
        {
            Round(Vector512.Create(source.Slice(i, Vector512<float>.Count))).CopyTo(destination.Slice(i));
        }

        RoundScalar(source[i..], destination[i..]);
    }

    /// <summary>The 256-bit path.</summary>
    internal static void RoundVector256(ReadOnlySpan<float> source, Span<float> destination)
    {
        var i = 0;
        for (; i + Vector256<float>.Count <= source.Length; i += Vector256<float>.Count)
        {
            Round(Vector256.Create(source.Slice(i, Vector256<float>.Count))).CopyTo(destination.Slice(i));
        }

        RoundScalar(source[i..], destination[i..]);
    }

    /// <summary>The element-by-element path.</summary>
    internal static void RoundScalar(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = Round(source[i]);
        }
    }

    /// <summary>In-place rounding of <paramref name="count"/> floats at <paramref name="data"/> (the GEMM packing step).</summary>
    internal static unsafe void RoundInPlace(float* data, int count)
    {
        var span = new Span<float>(data, count);
        Round(span, span);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Round(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector512.Create(LowHalf >> 1) + ((bits >> 16) & Vector512<uint>.One)) & Vector512.Create(HighHalf);
        var quietNaN = (bits | Vector512.Create(QuietBit)) & Vector512.Create(HighHalf);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x).AsUInt32(), rounded, quietNaN).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Round(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = (bits + Vector256.Create(LowHalf >> 1) + ((bits >> 16) & Vector256<uint>.One)) & Vector256.Create(HighHalf);
        var quietNaN = (bits | Vector256.Create(QuietBit)) & Vector256.Create(HighHalf);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x).AsUInt32(), rounded, quietNaN).AsSingle();
    }
}
