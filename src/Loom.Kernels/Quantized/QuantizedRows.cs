// Expanding Q8_0 / Q4_0 rows to float32 (ggml-quants.c dequantize_row_q8_0, dequantize_row_q4_0). Every product
// d·q is exact in float32 (an 8-bit integer times an 11-bit significand), so the scalar and vector paths give the same
// bits and a dequantised value equals ggml's.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>Dequantisation of whole quantised rows to float32.</summary>
public static unsafe class QuantizedRows
{
    /// <summary>
    /// Expands the blocks in <paramref name="source"/> (a whole number of <paramref name="format"/> blocks) into
    /// <paramref name="destination"/>, 32 values per block.
    /// </summary>
    /// <exception cref="ArgumentException">The byte count is not whole blocks or the destination has another length.</exception>
    public static void Dequantize(QuantizedFormat format, ReadOnlySpan<byte> source, Span<float> destination)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        if (source.Length % blockBytes != 0 || (long)source.Length / blockBytes * QuantizedLayout.BlockValues != destination.Length)
        {
            throw new ArgumentException($"{format}: {source.Length} bytes must be whole blocks of {blockBytes} expanding to {destination.Length} floats (32 per block).", nameof(destination));
        }

        fixed (byte* s = source)
        fixed (float* d = destination)
        {
            Dequantize(format, s, destination.Length / QuantizedLayout.BlockValues, d, Avx2.IsSupported);
        }
    }

    /// <summary>Expands <paramref name="blocks"/> consecutive blocks; <paramref name="vector"/> picks the AVX2 path.</summary>
    internal static void Dequantize(QuantizedFormat format, byte* source, int blocks, float* destination, bool vector)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        for (var b = 0; b < blocks; b++, source += blockBytes, destination += QuantizedLayout.BlockValues)
        {
            var d = QuantizedLayout.HalfToSingle(*(ushort*)source);
            if (vector)
            {
                BlockAvx2(format, source + 2, d, destination);
            }
            else
            {
                BlockScalar(format, source + 2, d, destination);
            }
        }
    }

    private static void BlockScalar(QuantizedFormat format, byte* q, float d, float* output)
    {
        if (format == QuantizedFormat.Q8_0)
        {
            for (var i = 0; i < QuantizedLayout.BlockValues; i++)
            {
                output[i] = ((sbyte*)q)[i] * d;
            }

            return;
        }

        for (var j = 0; j < 16; j++)
        {
            output[j] = ((q[j] & 0x0F) - 8) * d;
            output[j + 16] = ((q[j] >> 4) - 8) * d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockAvx2(QuantizedFormat format, byte* q, float d, float* output)
    {
        var scale = Vector256.Create(d);
        if (format == QuantizedFormat.Q8_0)
        {
            for (var i = 0; i < QuantizedLayout.BlockValues; i += 8)
            {
                Avx.Store(output + i, Avx.Multiply(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((sbyte*)q + i)), scale));
            }

            return;
        }

        var (low, high) = QuantizedNibbles.Split(Sse2.LoadVector128(q));
        Avx.Store(output, Avx.Multiply(QuantizedNibbles.Widen8(low), scale));
        Avx.Store(output + 8, Avx.Multiply(QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(low, 8)), scale));
        Avx.Store(output + 16, Avx.Multiply(QuantizedNibbles.Widen8(high), scale));
        Avx.Store(output + 24, Avx.Multiply(QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(high, 8)), scale));
    }
}
