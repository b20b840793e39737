// The integer-dot path of the quantised matmul (QuantizedActivations.Int8), after llama.cpp's ggml_vec_dot_q8_0_q8_0 /
// _q4_0_q8_0: x arrives quantised (QuantizedActivationRows: int8 values, one float32 scale per block, 8 × the sums of
// four). Per block, vpmaddubsw multiplies unsigned by signed bytes and adds pairs, vpmaddwd adds those pairs into eight
// exact int32 sums of four, lane l = Σ w[i]·x[i] for i in 4l … 4l + 3. Q8_0 weights take the sign trick (|w| times x
// with w's sign); Q4_0 nibbles u are already unsigned, and Σ(u − 8)·x = Σ u·x − 8·Σ x uses the precomputed sums. Each
// lane sum (|·| < 2¹⁶, exact in float32) is multiplied into lane l's float32 running sum by the block's scale d_w·d_x
// with one FMA, block after block, and the eight lanes are folded in halves (l + (l + 4), then + 2, then 0 + 1). That
// order is the definition: the scalar and AVX2 paths give the same bits, on any thread count. 256-bit registers serve
// the Vector512 kernel too: this machine's AMD cores split 512-bit work into two 256-bit halves, and the ideas measured
// against four 256-bit rows per loop were none faster here: two rows of W per 512-bit register (1.3–1.5× slower per
// block: the two halves must be joined), eight rows in flight (the same), and the scales of eight blocks hoisted per
// row with vpermi2b and one vector multiply (≈ 1.3× slower). What the loop spends per block and row is kept small instead: with GFNI
// one vgf2p8affineqb splits the Q4_0 nibbles (low in the lower half, high in the upper), and the block scale is d_w
// broadcast straight from the table times d_x broadcast (the same single float32 product in every lane). The loop
// prefetches into L2 the rows it reads a group and 4 KiB later: the four rows of a group are adjacent in memory, so one
// linear sweep ahead covers them. Without it a decode-sized product waits on memory (≈ 2× the time per block of weights
// already in cache); prefetching into L1 instead, or nearer, recovered less of it.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>y = x·Wᵀ for a few quantised rows of x against rows of a quantised W, as integer block dot products.</summary>
internal static unsafe class QuantizedIntegerDotRows
{
    private const int Lanes = QuantizedActivationRows.Quads;

    /// <summary>How far past the next group of four rows the loop prefetches into L2 (several memory latencies of its reading).</summary>
    private const int PrefetchBytes = 4096;

    /// <summary>
    /// vgf2p8affineqb bit matrices (row i of the 8 × 8 matrix in byte 7 − i): each byte's low nibble, and its high nibble
    /// moved down (the shifts of ggml's bytes_from_nibbles_32 in one instruction).
    /// </summary>
    private const ulong LowNibbles = 0x0102040800000000, HighNibbles = 0x1020408000000000;

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
                if (rows == 4 && vector && format == QuantizedFormat.Q8_0)
                {
                    FourRowsQ8_0(w, rowBytes, blocks, xq, xd, table, lanes);
                }
                else if (rows == 4 && vector)
                {
                    FourRowsQ4_0(w, rowBytes, blocks, xq, xd, xs, table, lanes);
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
    private static void FourRowsQ8_0(byte* w, nint rowBytes, int blocks, sbyte* xq, float* xd, float* table, float* lanes)
    {
        const int blockBytes = 2 + QuantizedLayout.BlockValues;
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var ones = Vector256.Create((short)1);
        var ahead = w + (4 * rowBytes) + PrefetchBytes;
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, w += blockBytes, ahead += 4 * blockBytes)
        {
            Sse.Prefetch1(ahead);
            Sse.Prefetch1(ahead + 64);
            Sse.Prefetch1(ahead + 128);
            var x = Avx.LoadVector256(xq);
            var d = Vector256.Create(xd[b]);
            s0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w, x, ones)), Vector256.Create(table[*(ushort*)w]) * d, s0);
            s1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w + rowBytes, x, ones)), Vector256.Create(table[*(ushort*)(w + rowBytes)]) * d, s1);
            s2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w + (2 * rowBytes), x, ones)), Vector256.Create(table[*(ushort*)(w + (2 * rowBytes))]) * d, s2);
            s3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q8_0Quads(w + (3 * rowBytes), x, ones)), Vector256.Create(table[*(ushort*)(w + (3 * rowBytes))]) * d, s3);
        }

        Store(lanes, s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsQ4_0(byte* w, nint rowBytes, int blocks, sbyte* xq, float* xd, int* xs, float* table, float* lanes)
    {
        const int blockBytes = 2 + (QuantizedLayout.BlockValues / 2);
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var ones = Vector256.Create((short)1);
        var ahead = w + (4 * rowBytes) + PrefetchBytes;
        for (var b = 0; b < blocks; b++, xq += QuantizedLayout.BlockValues, xs += Lanes, w += blockBytes, ahead += 4 * blockBytes)
        {
            Sse.Prefetch1(ahead);
            Sse.Prefetch1(ahead + 64);
            var x = Avx.LoadVector256(xq);
            var offset = Avx.LoadVector256(xs);
            var d = Vector256.Create(xd[b]);
            s0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w, x, offset, ones)), Vector256.Create(table[*(ushort*)w]) * d, s0);
            s1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w + rowBytes, x, offset, ones)), Vector256.Create(table[*(ushort*)(w + rowBytes)]) * d, s1);
            s2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w + (2 * rowBytes), x, offset, ones)), Vector256.Create(table[*(ushort*)(w + (2 * rowBytes))]) * d, s2);
            s3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Q4_0Quads(w + (3 * rowBytes), x, offset, ones)), Vector256.Create(table[*(ushort*)(w + (3 * rowBytes))]) * d, s3);
        }

        Store(lanes, s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* lanes, Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        s0.Store(lanes);
        s1.Store(lanes + Lanes);
        s2.Store(lanes + (2 * Lanes));
        s3.Store(lanes + (3 * Lanes));
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
        var nibbles = Gfni.V256.IsSupported
            ? Gfni.V256.GaloisFieldAffineTransform(packed, Vector256.Create(LowNibbles, LowNibbles, HighNibbles, HighNibbles).AsByte(), 0)
            : Avx2.ShiftRightLogicalVariable(packed.AsUInt64(), Vector256.Create(0UL, 0, 4, 4)).AsByte() & Vector256.Create((byte)0x0F);
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
