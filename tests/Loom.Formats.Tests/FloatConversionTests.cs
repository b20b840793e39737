using System.Buffers.Binary;

namespace Loom.Formats.Tests;

/// <summary>F16 and BF16 conversions checked over every 16-bit pattern and at hand-derived rounding ties.</summary>
public class FloatConversionTests
{
    [Fact]
    public void Every_float16_pattern_widens_like_System_Half_and_narrows_back()
    {
        var bytes = new byte[65536 * 2];
        for (int bits = 0; bits < 65536; bits++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * bits), (ushort)bits);
        }

        var widened = new float[65536];
        FloatConversion.Float16BytesToFloat32(bytes, widened);
        var narrowed = new byte[bytes.Length];
        FloatConversion.Float32ToFloat16Bytes(widened, narrowed);
        for (int bits = 0; bits < 65536; bits++)
        {
            float scalar = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            Assert.Equal(BitConverter.SingleToUInt32Bits(scalar), BitConverter.SingleToUInt32Bits(widened[bits]));
            if (!float.IsNaN(scalar))
            {
                Assert.Equal(bits, BinaryPrimitives.ReadUInt16LittleEndian(narrowed.AsSpan(2 * bits)));
            }
        }
    }

    [Fact]
    public void Every_bfloat16_pattern_is_the_upper_half_of_a_float32_and_narrows_back()
    {
        var bytes = new byte[65536 * 2];
        for (int bits = 0; bits < 65536; bits++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * bits), (ushort)bits);
        }

        var widened = new float[65536];
        FloatConversion.BFloat16BytesToFloat32(bytes, widened);
        var narrowed = new byte[bytes.Length];
        FloatConversion.Float32ToBFloat16Bytes(widened, narrowed);
        for (int bits = 0; bits < 65536; bits++)
        {
            Assert.Equal((uint)bits << 16, BitConverter.SingleToUInt32Bits(widened[bits]));
            int back = BinaryPrimitives.ReadUInt16LittleEndian(narrowed.AsSpan(2 * bits));
            // A NaN comes back quiet (quiet bit 0x0040 set), everything else unchanged.
            int expected = float.IsNaN(widened[bits]) ? bits | 0x0040 : bits;
            Assert.Equal(expected, back);
        }
    }

    [Theory]
    [InlineData(0x3F80_8000u, 0x3F80)] // exactly halfway between 0x3F80 and 0x3F81: ties to the even 0x3F80
    [InlineData(0x3F81_8000u, 0x3F82)] // halfway between 0x3F81 and 0x3F82: ties to the even 0x3F82
    [InlineData(0x3F80_8001u, 0x3F81)] // just above halfway rounds up
    [InlineData(0x3F80_7FFFu, 0x3F80)] // just below halfway rounds down
    [InlineData(0x7F7F_FFFFu, 0x7F80)] // float.MaxValue rounds to +infinity
    [InlineData(0xFF80_0000u, 0xFF80)] // -infinity stays
    [InlineData(0x7F80_0001u, 0x7FC0)] // signalling NaN whose payload sits in the low half becomes a quiet NaN
    public void Bfloat16_narrowing_rounds_to_nearest_even(uint float32Bits, int expected)
    {
        Assert.Equal(expected, FloatConversion.Float32ToBFloat16Bits(float32Bits));
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => FloatConversion.Float16BytesToFloat32(new byte[5], new float[3]));
        Assert.Contains("expected 6 bytes", error.Message, StringComparison.Ordinal);
    }
}
