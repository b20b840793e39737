// Scalar reference of the quantised row dot products (the semantics of ggml's dequantize_row_q8_0 / _q4_0 followed by a
// float dot product): per block, s = Σᵢ q[i]·x[i] in index order with fused multiply-adds, then acc = fma(d, s, acc).
namespace Loom.Kernels;

/// <summary>Portable reference for <see cref="QuantizedMatmul"/>: one row of x against rows of a quantised matrix.</summary>
internal static unsafe class QuantizedDotScalar
{
    /// <summary>y[j] = Σ_b d_b · Σ_i q_{j,b,i} · x[32b + i] for the rows j in [<paramref name="n0"/>, <paramref name="n1"/>).</summary>
    public static void Rows(QuantizedFormat format, byte* weights, int k, float* x, float* y, int n0, int n1)
    {
        var rowBytes = QuantizedLayout.RowBytes(format, k);
        var blockBytes = QuantizedLayout.BlockBytes(format);
        for (var j = n0; j < n1; j++)
        {
            var block = weights + ((nint)j * rowBytes);
            var acc = 0f;
            for (var b = 0; b < k; b += QuantizedLayout.BlockValues, block += blockBytes)
            {
                var s = format == QuantizedFormat.Q8_0 ? DotQ8_0(block, x + b) : DotQ4_0(block, x + b);
                acc = MathF.FusedMultiplyAdd(QuantizedLayout.HalfToSingle(*(ushort*)block), s, acc);
            }

            y[j] = acc;
        }
    }

    private static float DotQ8_0(byte* block, float* x)
    {
        var q = (sbyte*)(block + 2);
        var s = 0f;
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            s = MathF.FusedMultiplyAdd(q[i], x[i], s);
        }

        return s;
    }

    private static float DotQ4_0(byte* block, float* x)
    {
        var packed = block + 2;
        var s = 0f;
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            var nibble = i < 16 ? packed[i] & 0x0F : packed[i - 16] >> 4;
            s = MathF.FusedMultiplyAdd(nibble - 8, x[i], s);
        }

        return s;
    }
}
