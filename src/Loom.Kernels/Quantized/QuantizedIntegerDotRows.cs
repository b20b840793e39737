// The integer-dot path of the quantised matmul (QuantizedActivations.Int8), after llama.cpp's ggml_vec_dot_q8_0_q8_0 /
// _q4_0_q8_0: x arrives quantised (QuantizedActivationRows: int8 values, one float32 scale per block, 8 × the sums of
// four). Per block, vpmaddubsw multiplies unsigned by signed bytes and adds pairs, vpmaddwd adds those pairs into eight
// exact int32 sums of four, lane l = Σ w[i]·x[i] for i in 4l … 4l + 3. Q8_0 weights take the sign trick (|w| times x
// with w's sign); Q4_0 nibbles u are already unsigned, and Σ(u − 8)·x = Σ u·x − 8·Σ x uses the precomputed sums. Each
// lane sum (|·| < 2¹⁶, exact in float32) is multiplied into lane l's float32 running sum by the block's scale d_w·d_x
// with one FMA, block after block, and the eight lanes are folded in halves (l + (l + 4), then + 2, then 0 + 1). That
// order is the definition: the scalar and AVX2 paths give the same bits, on any thread count. 256-bit registers serve
// the Vector512 kernel too: this machine's AMD cores split 512-bit integer work into two 256-bit halves anyway.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>y = x·Wᵀ for a few quantised rows of x against rows of a quantised W, as integer block dot products.</summary>
internal static unsafe class QuantizedIntegerDotRows
{
    private const int Lanes = QuantizedActivationRows.Quads;

    /// <summary>
    /// Columns [<paramref name="n0"/>, <paramref name="n1"/>) of the <paramref name="m"/> rows of y (rows <paramref name="n"/>
    /// apart) for the quantised rows of x: <paramref name="values"/> (rows <paramref name="k"/> apart), <paramref name="scales"/>
    /// (rows k / 32 apart) and <paramref name="quadSums"/> (rows k / 4 apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(GemmKernel kernel, QuantizedFormat format, byte* weights, int k, sbyte* values, float* scales, int* quadSums, int m, float* y, int n, int n0, int n1)
    {
        var rowBytes = QuantizedLayout.RowBytes(format, k);
        var blocks = k / QuantizedLayout.BlockValues;
        var table = QuantizedScaleTable.Values;
        var lanes = stackalloc float[4 * Lanes]; // the 8 running sums of each of four rows of W
        var vector = kernel != GemmKernel.Scalar && Avx2.IsSupported && Fma.IsSupported;
        for (var j = n0; j < n1; j += 4)
        {
            var rows = Math.Min(4, n1 - j);
            var w = weights + ((nint)j * rowBytes);
            for (var i = 0; i < m; i++)
            {
                var xq = values + ((nint)i * k);
                var xd = scales + ((nint)i * blocks);
                var xs = quadSums + ((nint)i * blocks * Lanes);
                if (rows == 4 && vector)
                {
                    FourRowsAvx2(format, w, rowBytes, blocks, xq, xd, xs, table, lanes);
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        RowScalar(format, w + (r * rowBytes), blocks, xq, xd, table, lanes + (r * Lanes));
                    }
                }

                for (var r = 0; r < rows; r++)
                {
                    y[((nint)i * n) + j + r] = Fold(lanes + (r * Lanes));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsAvx2(QuantizedFormat format, byte* w, nint rowBytes, int blocks, sbyte* xq, float* xd, int* xs, float* table, float* lanes)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        byte* w0 = w, w1 = w + rowBytes, w2 = w + (2 * rowBytes), w3 = w + (3 * rowBytes);
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var ones = Vector256.Create((short)1);
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, xs += Lanes, w0 += blockBytes, w1 += blockBytes, w2 += blockBytes, w3 += blockBytes)
        {
            var x = Avx.LoadVector256(xq);
            var d = xd[b];
            if (format == QuantizedFormat.Q8_0)
            {
                s0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w0, x, ones)), Vector256.Create(table[*(ushort*)w0] * d), s0);
                s1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w1, x, ones)), Vector256.Create(table[*(ushort*)w1] * d), s1);
                s2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w2, x, ones)), Vector256.Create(table[*(ushort*)w2] * d), s2);
                s3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w3, x, ones)), Vector256.Create(table[*(ushort*)w3] * d), s3);
            }
            else
            {
                var offset = Avx.LoadVector256(xs);
                s0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w0, x, offset, ones)), Vector256.Create(table[*(ushort*)w0] * d), s0);
                s1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w1, x, offset, ones)), Vector256.Create(table[*(ushort*)w1] * d), s1);
                s2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w2, x, offset, ones)), Vector256.Create(table[*(ushort*)w2] * d), s2);
                s3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w3, x, offset, ones)), Vector256.Create(table[*(ushort*)w3] * d), s3);
            }
        }

        Avx.Store(lanes, s0);
        Avx.Store(lanes + Lanes, s1);
        Avx.Store(lanes + (2 * Lanes), s2);
        Avx.Store(lanes + (3 * Lanes), s3);
    }

    /// <summary>The eight sums of four of a Q8_0 block with x: |w| (unsigned) times x carrying w's sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Q8_0Quads(byte* block, Vector256<sbyte> x, Vector256<short> ones)
    {
        var q = Avx.LoadVector256((sbyte*)(block + 2));
        var pairs = Avx2.MultiplyAddAdjacent(Avx2.Abs(q), Avx2.Sign(x, q)); // |pair| ≤ 2·128·127 < 2¹⁵: no saturation
        return Avx2.MultiplyAddAdjacent(pairs, ones);
    }

    /// <summary>The eight sums of four of a Q4_0 block with x: nibbles u (values 0–15 low, 16–31 high) times x, minus 8·Σx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Q4_0Quads(byte* block, Vector256<sbyte> x, Vector256<int> offset, Vector256<short> ones)
    {
        var packed = Avx2.BroadcastVector128ToVector256(block + 2); // the 16 bytes in both halves
        var nibbles = Avx2.ShiftRightLogicalVariable(packed.AsUInt64(), Vector256.Create(0UL, 0, 4, 4)).AsByte() & Vector256.Create((byte)0x0F);
        return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(nibbles, x), ones) - offset;
    }

    /// <summary>The eight lane sums folded in halves: l + (l + 4), then + (l + 2), then 0 + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fold(float* lanes)
    {
        var four = Vector128.Load(lanes) + Vector128.Load(lanes + 4);
        var two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 2, 3));
        return two.ToScalar() + two.GetElement(1);
    }

    /// <summary>The eight sums of one row of W in scalar arithmetic (the vector path's reference).</summary>
    private static void RowScalar(QuantizedFormat format, byte* block, int blocks, sbyte* xq, float* xd, float* table, float* lanes)
    {
        new Span<float>(lanes, Lanes).Clear();
        var blockBytes = QuantizedLayout.BlockBytes(format);
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, block += blockBytes)
        {
            var d = table[*(ushort*)block] * xd[b];
            for (var l = 0; l < Lanes; l++)
            {
                var quad = 0;
                for (var i = 4 * l; i < (4 * l) + 4; i++)
                {
                    quad += Value(format, block, i) * xq[i];
                }

                lanes[l] = MathF.FusedMultiplyAdd(quad, d, lanes[l]);
            }
        }
    }

    /// <summary>Quantised value <paramref name="i"/> of a block (ggml-common.h block_q8_0 / block_q4_0).</summary>
    private static int Value(QuantizedFormat format, byte* block, int i) =>
        format == QuantizedFormat.Q8_0 ? ((sbyte*)(block + 2))[i] : i < 16 ? (block[2 + i] & 0x0F) - 8 : (block[2 + i - 16] >> 4) - 8;
}
