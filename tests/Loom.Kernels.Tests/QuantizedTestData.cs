namespace Loom.Kernels.Tests;

/// <summary>Random Q8_0 / Q4_0 matrices and a float64 reference product built from the ggml block definitions.</summary>
internal static class QuantizedTestData
{
    /// <summary>n × k random blocks: scales in ±[0.001, 0.1] as binary16, random quants (every bit pattern possible).</summary>
    public static byte[] RandomMatrix(QuantizedFormat format, int n, int k, int seed)
    {
        var rng = new Random(seed);
        var blockBytes = format == QuantizedFormat.Q8_0 ? 34 : 18;
        var bytes = new byte[n * (k / 32) * blockBytes];
        for (var at = 0; at < bytes.Length; at += blockBytes)
        {
            var scale = (Half)((rng.NextDouble() * 0.099 + 0.001) * (rng.Next(2) == 0 ? -1 : 1));
            BitConverter.TryWriteBytes(bytes.AsSpan(at, 2), BitConverter.HalfToUInt16Bits(scale));
            rng.NextBytes(bytes.AsSpan(at + 2, blockBytes - 2));
            if (format == QuantizedFormat.Q8_0)
            {
                for (var i = at + 2; i < at + blockBytes; i++)
                {
                    bytes[i] = bytes[i] == 0x80 ? (byte)0x81 : bytes[i]; // ggml's quantizer never writes −128
                }
            }
        }

        return bytes;
    }

    /// <summary>Value (row, column) straight from the block definition (ggml-common.h).</summary>
    public static double Value(QuantizedFormat format, byte[] bytes, int k, int row, int column)
    {
        var blockBytes = format == QuantizedFormat.Q8_0 ? 34 : 18;
        var at = ((row * (k / 32)) + (column / 32)) * blockBytes;
        var d = (double)(float)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(bytes, at));
        var i = column % 32;
        if (format == QuantizedFormat.Q8_0)
        {
            return d * (sbyte)bytes[at + 2 + i];
        }

        var packed = bytes[at + 2 + (i % 16)];
        return d * ((i < 16 ? packed & 0x0F : packed >> 4) - 8);
    }

    /// <summary>
    /// Asserts y equals Σ_c W[j, c]·x[i, c] (computed in float64) within (k + 2)·2⁻²⁴·Σ|W·x|, a bound on float32
    /// rounding that holds for every summation order.
    /// </summary>
    public static void AssertMatchesReference(QuantizedFormat format, byte[] weights, int n, int k, float[] x, int m, float[] y, string context)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var c = 0; c < k; c++)
                {
                    var product = Value(format, weights, k, j, c) * x[(i * k) + c];
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                var limit = ((k + 2) * Math.Pow(2, -24) * magnitude) + 1e-30;
                var found = y[(i * n) + j];
                if (!(Math.Abs(found - sum) <= limit))
                {
                    Assert.Fail($"{context}: y[{i}, {j}] expected {sum:R}, found {found:R} (limit {limit:G3})");
                }
            }
        }
    }
}
