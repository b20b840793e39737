// Fixed sinusoidal position encodings, "Attention Is All You Need" (Vaswani et al. 2017, section 3.5):
// PE(p, 2i) = sin(p / 10000^(2i/C)), PE(p, 2i + 1) = cos(p / 10000^(2i/C)).
using Loom.Core;

namespace Loom.Nn;

/// <summary>The sinusoidal position table of the original Transformer (no parameters).</summary>
public static class SinusoidalPositions
{
    /// <summary>(T, C) encodings for positions start … start + T − 1; C must be even.</summary>
    public static Tensor Table(int length, int channels, int start = 0, double timescale = 10000d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (channels <= 0 || channels % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Sinusoidal positions: expected an even channel count > 0.");
        }

        var values = new float[length * channels];
        for (var p = 0; p < length; p++)
        {
            for (var i = 0; i < channels / 2; i++)
            {
                var angle = (start + p) / Math.Pow(timescale, 2d * i / channels);
                values[(p * channels) + (2 * i)] = (float)Math.Sin(angle);
                values[(p * channels) + (2 * i) + 1] = (float)Math.Cos(angle);
            }
        }

        return Tensor.FromArray(values, length, channels);
    }
}
