// The integer-dot path of the quantised matmul (QuantizedActivations.Int8), after llama.cpp's ggml_vec_dot_q8_0_q8_0 /
// _q4_0_q8_0: x arrives quantised (QuantizedActivationRows: int8 values held as int16, one float32 scale per block);
// each weight block is widened to 32 int16 (Q4_0: nibble − 8) and multiplied with vpmaddwd, which gives 16 exact int32
// pair sums, lane l = w[2l]·x[2l] + w[2l+1]·x[2l+1]. Each lane sum (|·| ≤ 2·128·127, exact in float32) is then
// multiplied into lane l's float32 running sum by the block's scale d_w·d_x with one FMA, and the 16 lanes are folded in
// halves (GemmDotRows.Fold). That order is the definition: the scalar, 256-bit and 512-bit paths give the same bits.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>y = x·Wᵀ for a few quantised rows of x against rows of a quantised W, as integer block dot products.</summary>
internal static unsafe class QuantizedIntegerDotRows
{
    private const int Lanes = 16;

    /// <summary>
    /// Columns [<paramref name="n0"/>, <paramref name="n1"/>) of the <paramref name="m"/> rows of y (rows <paramref name="n"/>
    /// apart) for the quantised rows of x: <paramref name="values"/> (rows <paramref name="k"/> apart) and
    /// <paramref name="scales"/> (rows k / 32 apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(GemmKernel kernel, QuantizedFormat format, byte* weights, int k, short* values, float* scales, int m, float* y, int n, int n0, int n1)
    {
        var rowBytes = QuantizedLayout.RowBytes(format, k);
        var blocks = k / QuantizedLayout.BlockValues;
        var table = QuantizedScaleTable.Values;
        var lanes = stackalloc float[4 * Lanes]; // the 16 running sums of each of four rows of W
        for (var j = n0; j < n1; j += 4)
        {
            var rows = Math.Min(4, n1 - j);
            var w = weights + ((nint)j * rowBytes);
            for (var i = 0; i < m; i++)
            {
                var xq = values + ((nint)i * k);
                var xd = scales + ((nint)i * blocks);
                if (rows == 4 && kernel == GemmKernel.Vector512 && Avx512BW.IsSupported)
                {
                    FourRows512(format, w, rowBytes, blocks, xq, xd, table, lanes);
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        if (kernel != GemmKernel.Scalar && Avx2.IsSupported && Fma.IsSupported)
                        {
                            Row256(format, w + (r * rowBytes), blocks, xq, xd, table, lanes + (r * Lanes));
                        }
                        else
                        {
                            RowScalar(format, w + (r * rowBytes), blocks, xq, xd, table, lanes + (r * Lanes));
                        }
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    y[((nint)i * n) + j + r] = GemmDotRows.Fold(lanes + (r * Lanes));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows512(QuantizedFormat format, byte* w, nint rowBytes, int blocks, short* xq, float* xd, float* table, float* lanes)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        byte* w0 = w, w1 = w + rowBytes, w2 = w + (2 * rowBytes), w3 = w + (3 * rowBytes);
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, w0 += blockBytes, w1 += blockBytes, w2 += blockBytes, w3 += blockBytes)
        {
            var x = Avx512F.LoadVector512(xq);
            var d = xd[b];
            if (format == QuantizedFormat.Q8_0)
            {
                s0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q8_0Values512(w0), x)), Vector512.Create(table[*(ushort*)w0] * d), s0);
                s1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q8_0Values512(w1), x)), Vector512.Create(table[*(ushort*)w1] * d), s1);
                s2 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q8_0Values512(w2), x)), Vector512.Create(table[*(ushort*)w2] * d), s2);
                s3 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q8_0Values512(w3), x)), Vector512.Create(table[*(ushort*)w3] * d), s3);
            }
            else
            {
                s0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q4_0Values512(w0), x)), Vector512.Create(table[*(ushort*)w0] * d), s0);
                s1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q4_0Values512(w1), x)), Vector512.Create(table[*(ushort*)w1] * d), s1);
                s2 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q4_0Values512(w2), x)), Vector512.Create(table[*(ushort*)w2] * d), s2);
                s3 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(Q4_0Values512(w3), x)), Vector512.Create(table[*(ushort*)w3] * d), s3);
            }
        }

        Avx512F.Store(lanes, s0);
        Avx512F.Store(lanes + Lanes, s1);
        Avx512F.Store(lanes + (2 * Lanes), s2);
        Avx512F.Store(lanes + (3 * Lanes), s3);
    }

    /// <summary>The 32 signed bytes of a Q8_0 block as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Q8_0Values512(byte* block) => Avx512BW.ConvertToVector512Int16(Avx.LoadVector256((sbyte*)(block + 2)));

    /// <summary>The 32 nibbles of a Q4_0 block, in value order (low nibbles, then high ones), minus 8, as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Q4_0Values512(byte* block)
    {
        var packed = Avx2.ConvertToVector256Int16(block + 2); // byte j (values j and j + 16) zero-extended
        var mask = Vector256.Create((short)0x0F);
        var values = Vector512.Create(packed & mask, Avx2.ShiftRightLogical(packed, 4));
        return values - Vector512.Create((short)8);
    }

    /// <summary>The 16 sums of one row of W with 256-bit registers: lanes 0–7 from values 0–15, lanes 8–15 from 16–31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row256(QuantizedFormat format, byte* block, int blocks, short* xq, float* xd, float* table, float* lanes)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        Vector256<float> low = Vector256<float>.Zero, high = low;
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, block += blockBytes)
        {
            Vector128<sbyte> first, second;
            if (format == QuantizedFormat.Q8_0)
            {
                (first, second) = (Sse2.LoadVector128((sbyte*)(block + 2)), Sse2.LoadVector128((sbyte*)(block + 2 + Lanes)));
            }
            else
            {
                (first, second) = QuantizedNibbles.Split(Sse2.LoadVector128(block + 2));
            }

            var d = Vector256.Create(table[*(ushort*)block] * xd[b]);
            low = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(first), Avx.LoadVector256(xq))), d, low);
            high = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(second), Avx.LoadVector256(xq + Lanes))), d, high);
        }

        Avx.Store(lanes, low);
        Avx.Store(lanes + 8, high);
    }

    /// <summary>The 16 sums of one row of W in scalar arithmetic (the vector paths' reference).</summary>
    private static void RowScalar(QuantizedFormat format, byte* block, int blocks, short* xq, float* xd, float* table, float* lanes)
    {
        new Span<float>(lanes, Lanes).Clear();
        var blockBytes = QuantizedLayout.BlockBytes(format);
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, block += blockBytes)
        {
            var d = table[*(ushort*)block] * xd[b];
            for (var l = 0; l < Lanes; l++)
            {
                var pair = (Value(format, block, 2 * l) * xq[2 * l]) + (Value(format, block, (2 * l) + 1) * xq[(2 * l) + 1]);
                lanes[l] = MathF.FusedMultiplyAdd(pair, d, lanes[l]);
            }
        }
    }

    /// <summary>Quantised value <paramref name="i"/> of a block (ggml-common.h block_q8_0 / block_q4_0).</summary>
    private static int Value(QuantizedFormat format, byte* block, int i) =>
        format == QuantizedFormat.Q8_0 ? ((sbyte*)(block + 2))[i] : i < Lanes ? (block[2 + i] & 0x0F) - 8 : (block[2 + i - Lanes] >> 4) - 8;
}
