using System.Runtime.Intrinsics;

namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="BFloat16Kernel"/> against a float64 reference that rounds by the definition (the nearer of the two
/// neighbouring bfloat16 values, ties to the even one, overflow to ∞), on every vector path this machine runs.
/// </summary>
public class BFloat16KernelTests
{
    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(-2.5f, -2.5f)]
    [InlineData(1.00390625f, 1f)] // 1 + 2⁻⁸: a tie between 1 and 1 + 2⁻⁷, to the even 1
    [InlineData(1.01171875f, 1.015625f)] // 1 + 3·2⁻⁸: a tie between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶ (even)
    [InlineData(1.0039064f, 1.0078125f)] // just above the tie: up
    [InlineData(3.14159274f, 3.140625f)]
    [InlineData(float.MaxValue, float.PositiveInfinity)] // rounds past the largest bfloat16 (≈ 3.3895e38)
    [InlineData(-float.MaxValue, float.NegativeInfinity)]
    [InlineData(3.38953139e38f, 3.38953139e38f)] // the largest bfloat16 itself
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity, float.NegativeInfinity)]
    [InlineData(-0f, -0f)]
    public void RoundsKnownValues(float value, float expected)
    {
        Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(BFloat16Kernel.Round(value)));
    }

    [Theory]
    [InlineData(0x0000_0001u, 0x0000_0000u)] // the smallest subnormal: far below half a bfloat16 step (2⁻¹³³)
    [InlineData(0x0000_8000u, 0x0000_0000u)] // exactly half a step above 0: a tie, to the even 0
    [InlineData(0x0000_8001u, 0x0001_0000u)] // just above the tie
    [InlineData(0x0001_8000u, 0x0002_0000u)] // a tie between an odd and an even subnormal
    [InlineData(0x007F_FFFFu, 0x0080_0000u)] // the largest subnormal rounds up to the smallest normal
    [InlineData(0x8000_8001u, 0x8001_0000u)] // negative subnormal
    [InlineData(0x7FC0_0000u, 0x7FC0_0000u)] // the canonical quiet NaN
    [InlineData(0x7F80_0001u, 0x7FC0_0000u)] // a signalling NaN whose payload sits in the dropped half: still NaN, quiet
    [InlineData(0xFFA1_2345u, 0xFFE1_0000u)] // negative NaN keeps its sign and the top of its payload
    public void RoundsSubnormalsAndNaNsBitExactly(uint bits, uint expected)
    {
        Assert.Equal(expected, BitConverter.SingleToUInt32Bits(BFloat16Kernel.Round(BitConverter.UInt32BitsToSingle(bits))));
        Assert.Equal(expected, Reference(bits));
    }

    [Fact]
    public void EveryPathMatchesTheReferenceAtEveryLength()
    {
        var paths = new List<(string Name, Action<float[], float[]> Run)>
        {
            ("scalar", (s, d) => BFloat16Kernel.RoundScalar(s, d)),
            ("dispatch", (s, d) => BFloat16Kernel.Round(s, d)),
        };
        if (Vector256.IsHardwareAccelerated)
        {
            paths.Add(("Vector256", (s, d) => BFloat16Kernel.RoundVector256(s, d)));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            paths.Add(("Vector512", (s, d) => BFloat16Kernel.RoundVector512(s, d)));
        }

        foreach (var n in KernelTestData.Lengths)
        {
            var source = MixedBitPatterns(n, seed: n);
            var expected = source.Select(v => Reference(BitConverter.SingleToUInt32Bits(v))).ToArray();
            foreach (var (name, run) in paths)
            {
                var destination = new float[n];
                run(source, destination);
                for (var i = 0; i < n; i++)
                {
                    var found = BitConverter.SingleToUInt32Bits(destination[i]);
                    if (found != expected[i])
                    {
                        Assert.Fail($"{name}, n={n}, element {i}: 0x{BitConverter.SingleToUInt32Bits(source[i]):X8} → expected 0x{expected[i]:X8}, found 0x{found:X8}");
                    }
                }
            }
        }
    }

    [Fact]
    public void RoundsInPlaceAndIsIdempotent()
    {
        var values = MixedBitPatterns(1000, seed: 7);
        var once = new float[values.Length];
        BFloat16Kernel.Round(values, once);
        BFloat16Kernel.Round(values, values);
        Assert.Equal(once.Select(BitConverter.SingleToUInt32Bits), values.Select(BitConverter.SingleToUInt32Bits));
        BFloat16Kernel.Round(values, values);
        Assert.Equal(once.Select(BitConverter.SingleToUInt32Bits), values.Select(BitConverter.SingleToUInt32Bits));
        Assert.All(values, v => Assert.Equal(0u, BitConverter.SingleToUInt32Bits(v) & 0xFFFFu));
    }

    [Fact]
    public void RejectsSpansOfDifferentLengths() =>
        Assert.Throws<ArgumentException>(() => BFloat16Kernel.Round(new float[3], new float[2]));

    /// <summary>
    /// Random bit patterns over every exponent (subnormals, NaNs and infinities included), with exact ties and the
    /// edges of the range planted at fixed places.
    /// </summary>
    private static float[] MixedBitPatterns(int n, int seed)
    {
        var rng = new Random(seed);
        uint[] planted = [0x3F80_8000u, 0x3F81_8000u, 0x7F7F_FFFFu, 0x7F7F_7FFFu, 0x7F80_0000u, 0xFF80_0000u, 0x7FC0_0000u, 0x7F80_0001u,
            0x0000_8000u, 0x0001_8000u, 0x807F_FFFFu, 0x0000_0000u, 0x8000_0000u, 0xC2F7_8000u];
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            var bits = i % 5 == 0 ? planted[(i / 5) % planted.Length] : (uint)rng.NextInt64(0, 1L << 32);
            values[i] = BitConverter.UInt32BitsToSingle(bits);
        }

        return values;
    }

    /// <summary>The bfloat16 nearest to a float32 by the definition, computed in float64.</summary>
    private static uint Reference(uint bits)
    {
        var sign = bits & 0x8000_0000u;
        var magnitude = bits & 0x7FFF_FFFFu;
        if (magnitude > 0x7F80_0000u)
        {
            return (bits | 0x0040_0000u) & 0xFFFF_0000u; // NaN: quiet, same sign, top of the payload
        }

        if (magnitude == 0x7F80_0000u)
        {
            return bits;
        }

        double value = BitConverter.UInt32BitsToSingle(magnitude);
        var below = magnitude & 0xFFFF_0000u; // the bfloat16 at or below |x|
        double low = BitConverter.UInt32BitsToSingle(below);
        var exponent = (int)(below >> 23);
        var step = Math.ScaleB(1d, Math.Max(exponent, 1) - 127 - 7); // the bfloat16 spacing at this exponent
        var high = low + step;
        var pickHigh = (value - low).CompareTo(high - value) switch
        {
            < 0 => false,
            > 0 => true,
            _ => ((below >> 16) & 1u) == 1u, // a tie goes to the even neighbour
        };
        var rounded = pickHigh ? (high >= Math.ScaleB(1d, 128) ? 0x7F80_0000u : BitConverter.SingleToUInt32Bits((float)high)) : below;
        return sign | rounded;
    }
}
