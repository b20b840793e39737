// Q8_0 and Q4_0 (de)quantisation with the rounding of ggml's reference quantizers
// (ggml/src/ggml-quants.c: quantize_row_q8_0_ref, quantize_row_q4_0_ref, dequantize_row_q8_0, dequantize_row_q4_0),
// and gguf-py's gguf/quants.py, so blocks written here match llama.cpp's and dequantised values match its output exactly.
namespace Loom.Formats.Gguf;

/// <summary>Scalar conversions between float32 rows and Q8_0 / Q4_0 blocks.</summary>
public static class GgmlQuantization
{
    /// <summary>Expands Q8_0 blocks to float32: value = scale · q. <paramref name="destination"/> holds 32 per block.</summary>
    public static void DequantizeQ8_0(ReadOnlySpan<BlockQ8_0> blocks, Span<float> destination)
    {
        CheckCounts(blocks.Length, destination.Length);
        for (int b = 0; b < blocks.Length; b++)
        {
            float scale = (float)blocks[b].Scale;
            var output = destination.Slice(b * 32, 32);
            for (int i = 0; i < 32; i++)
            {
                output[i] = blocks[b].Quants[i] * scale;
            }
        }
    }

    /// <summary>Expands Q4_0 blocks to float32: value = (nibble − 8) · scale; low nibbles are values 0..15, high nibbles 16..31.</summary>
    public static void DequantizeQ4_0(ReadOnlySpan<BlockQ4_0> blocks, Span<float> destination)
    {
        CheckCounts(blocks.Length, destination.Length);
        for (int b = 0; b < blocks.Length; b++)
        {
            float scale = (float)blocks[b].Scale;
            var output = destination.Slice(b * 32, 32);
            for (int j = 0; j < 16; j++)
            {
                byte packed = blocks[b].Packed[j];
                output[j] = ((packed & 0x0F) - 8) * scale;
                output[j + 16] = ((packed >> 4) - 8) * scale;
            }
        }
    }

    /// <summary>Quantises float32 values (a multiple of 32) to Q8_0: scale = max|x| / 127, q = round(x / scale), ties away from zero.</summary>
    public static void QuantizeQ8_0(ReadOnlySpan<float> source, Span<BlockQ8_0> blocks)
    {
        CheckCounts(blocks.Length, source.Length);
        for (int b = 0; b < blocks.Length; b++)
        {
            var input = source.Slice(b * 32, 32);
            float absMax = 0;
            foreach (float x in input)
            {
                absMax = MathF.Max(absMax, MathF.Abs(x));
            }

            float scale = absMax / 127f;
            float inverse = scale != 0 ? 1f / scale : 0f;
            blocks[b].Scale = (Half)scale;
            for (int i = 0; i < 32; i++)
            {
                blocks[b].Quants[i] = (sbyte)MathF.Round(input[i] * inverse, MidpointRounding.AwayFromZero);
            }
        }
    }

    /// <summary>
    /// Quantises float32 values (a multiple of 32) to Q4_0: the value of largest magnitude m maps to nibble 0,
    /// scale = m / −8, nibble = min(15, trunc(x · (1 / scale) + 8.5)) with the multiply-add fused.
    /// </summary>
    public static void QuantizeQ4_0(ReadOnlySpan<float> source, Span<BlockQ4_0> blocks)
    {
        CheckCounts(blocks.Length, source.Length);
        for (int b = 0; b < blocks.Length; b++)
        {
            var input = source.Slice(b * 32, 32);
            float absMax = 0;
            float extreme = 0;
            foreach (float x in input)
            {
                if (absMax < MathF.Abs(x))
                {
                    absMax = MathF.Abs(x);
                    extreme = x;
                }
            }

            float scale = extreme / -8f;
            float inverse = scale != 0 ? 1f / scale : 0f;
            blocks[b].Scale = (Half)scale;
            for (int j = 0; j < 16; j++)
            {
                // x·(1/d) + 8.5 with one rounding (fused), as ggml compiled with FMA contraction and gguf-py's
                // float64 version compute it; a separate multiply and add can differ by one step at ties.
                int low = Math.Min(15, (int)(sbyte)MathF.FusedMultiplyAdd(input[j], inverse, 8.5f));
                int high = Math.Min(15, (int)(sbyte)MathF.FusedMultiplyAdd(input[j + 16], inverse, 8.5f));
                blocks[b].Packed[j] = (byte)(low | (high << 4));
            }
        }
    }

    private static void CheckCounts(int blockCount, int valueCount)
    {
        if ((long)blockCount * 32 != valueCount)
        {
            throw new ArgumentException($"expected {(long)blockCount * 32} values for {blockCount} blocks of 32, found {valueCount}");
        }
    }
}
