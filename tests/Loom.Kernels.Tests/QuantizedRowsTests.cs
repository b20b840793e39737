using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels.Tests;

/// <summary><see cref="QuantizedRows"/> and <see cref="QuantizedLayout"/> against the ggml block definitions.</summary>
public class QuantizedRowsTests
{
    [Fact]
    public void HalfToSingleEqualsTheRuntimeConversionForEveryBitPattern()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            var found = QuantizedLayout.HalfToSingle((ushort)bits);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(found) || (float.IsNaN(expected) && float.IsNaN(found)),
                $"bits 0x{bits:X4}: expected {expected:R}, found {found:R}");
        }
    }

    [Theory]
    [InlineData(QuantizedFormat.Q8_0)]
    [InlineData(QuantizedFormat.Q4_0)]
    public unsafe void DequantizeEqualsTheBlockDefinitionAtEveryLength(QuantizedFormat format)
    {
        foreach (var length in Enumerable.Range(0, 9).Select(b => b * 32).Append(32 * 1000))
        {
            var bytes = QuantizedTestData.RandomMatrix(format, 1, length, seed: length);
            var expected = Enumerable.Range(0, length).Select(c => (float)QuantizedTestData.Value(format, bytes, length, 0, c)).ToArray();
            var found = new float[length];
            QuantizedRows.Dequantize(format, bytes, found);
            Assert.Equal(expected, found);
            var scalar = new float[length];
            fixed (byte* s = bytes)
            fixed (float* d = scalar)
            {
                QuantizedRows.Dequantize(format, s, length / 32, d, vector: false);
            }

            Assert.Equal(expected, scalar);
            if (Avx2.IsSupported)
            {
                var vector = new float[length];
                fixed (byte* s = bytes)
                fixed (float* d = vector)
                {
                    QuantizedRows.Dequantize(format, s, length / 32, d, vector: true);
                }

                Assert.Equal(expected, vector);
            }
        }
    }

    [Fact]
    public void LayoutSizesAndErrors()
    {
        Assert.Equal(34, QuantizedLayout.BlockBytes(QuantizedFormat.Q8_0));
        Assert.Equal(18, QuantizedLayout.BlockBytes(QuantizedFormat.Q4_0));
        Assert.Equal(34 * 24, QuantizedLayout.RowBytes(QuantizedFormat.Q8_0, 768));
        Assert.Equal(18L * 24 * 10, QuantizedLayout.MatrixBytes(QuantizedFormat.Q4_0, 10, 768));
        Assert.Throws<ArgumentException>(() => QuantizedLayout.RowBytes(QuantizedFormat.Q4_0, 33));
        Assert.Throws<ArgumentException>(() => QuantizedRows.Dequantize(QuantizedFormat.Q8_0, new byte[34], new float[31]));
        Assert.Throws<ArgumentException>(() => QuantizedRows.Dequantize(QuantizedFormat.Q8_0, new byte[33], new float[32]));
    }
}
