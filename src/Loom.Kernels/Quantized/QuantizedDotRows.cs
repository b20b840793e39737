// The streaming (GEMV) path of the quantised matmul: each weight is widened to float32 in registers and multiplied by
// its block scale (d·q is exact in float32: an 8-bit integer times an 11-bit significand), which gives exactly the
// dequantised weight of ggml's dequantize_row_q8_0 / _q4_0; the dot products then follow GemmDotRows' order (16 running
// sums by depth mod 16, folded in halves). So a quantised product of one or two rows has the same bits as Gemm on the
// dequantised matrix, on every vector width and thread count. Four rows of W at a time share each load of x and give
// four independent FMA chains, and the 512-bit loop prefetches the next four rows as GemmDotRows does.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>y = x·Wᵀ for a few rows of x against rows of a quantised W, as dot products with dequantised weights.</summary>
internal static unsafe class QuantizedDotRows
{
    private const int Lanes = 16;

    /// <summary>How far past the next group of four rows the loop prefetches (see GemmDotRows).</summary>
    private const int PrefetchBytes = 1024;

    /// <summary>
    /// Columns [<paramref name="n0"/>, <paramref name="n1"/>) of the <paramref name="m"/> rows of y (rows <paramref name="n"/>
    /// apart) for the rows of x (<paramref name="k"/> apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(GemmKernel kernel, QuantizedFormat format, byte* weights, int k, float* x, int m, float* y, int n, int n0, int n1)
    {
        var rowBytes = QuantizedLayout.RowBytes(format, k);
        var lanes = stackalloc float[4 * Lanes]; // the 16 running sums of each of four rows of W
        for (var j = n0; j < n1; j += 4)
        {
            var rows = Math.Min(4, n1 - j);
            var w = weights + ((nint)j * rowBytes);
            for (var i = 0; i < m; i++)
            {
                var xi = x + ((nint)i * k);
                if (rows == 4 && kernel == GemmKernel.Vector512 && Avx512F.IsSupported)
                {
                    FourRows512(format, w, rowBytes, k, xi, lanes);
                }
                else if (rows == 4 && kernel != GemmKernel.Scalar && Avx2.IsSupported && Fma.IsSupported)
                {
                    FourRows256(format, w, rowBytes, k, xi, lanes);
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        RowScalar(format, w + (r * rowBytes), k, xi, lanes + (r * Lanes));
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
    private static void FourRows512(QuantizedFormat format, byte* w, nint rowBytes, int k, float* x, float* lanes)
    {
        var blockBytes = QuantizedLayout.BlockBytes(format);
        byte* w0 = w, w1 = w + rowBytes, w2 = w + (2 * rowBytes), w3 = w + (3 * rowBytes);
        var ahead = w + (4 * rowBytes) + PrefetchBytes;
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (var p = 0; p < k; p += QuantizedLayout.BlockValues, w0 += blockBytes, w1 += blockBytes, w2 += blockBytes, w3 += blockBytes, ahead += 4 * blockBytes)
        {
            Sse.Prefetch0(ahead); // four blocks of the next group: 136 bytes (Q8_0) or 72 (Q4_0)
            Sse.Prefetch0(ahead + 64);
            Sse.Prefetch0(ahead + 128);
            var low = Avx512F.LoadVector512(x + p);
            var high = Avx512F.LoadVector512(x + p + Lanes);
            if (format == QuantizedFormat.Q8_0)
            {
                s0 = BlockQ8_0(w0, low, high, s0);
                s1 = BlockQ8_0(w1, low, high, s1);
                s2 = BlockQ8_0(w2, low, high, s2);
                s3 = BlockQ8_0(w3, low, high, s3);
            }
            else
            {
                s0 = BlockQ4_0(w0, low, high, s0);
                s1 = BlockQ4_0(w1, low, high, s1);
                s2 = BlockQ4_0(w2, low, high, s2);
                s3 = BlockQ4_0(w3, low, high, s3);
            }
        }

        Avx512F.Store(lanes, s0);
        Avx512F.Store(lanes + Lanes, s1);
        Avx512F.Store(lanes + (2 * Lanes), s2);
        Avx512F.Store(lanes + (3 * Lanes), s3);
    }

    /// <summary>Values 0–15 of the block, then 16–31, each dequantised and multiplied into the 16 sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BlockQ8_0(byte* block, Vector512<float> xLow, Vector512<float> xHigh, Vector512<float> sums)
    {
        var d = Vector512.Create(QuantizedLayout.HalfToSingle(*(ushort*)block));
        var q = (sbyte*)(block + 2);
        sums = Avx512F.FusedMultiplyAdd(xLow, QuantizedNibbles.Widen16(Sse2.LoadVector128(q)) * d, sums);
        return Avx512F.FusedMultiplyAdd(xHigh, QuantizedNibbles.Widen16(Sse2.LoadVector128(q + Lanes)) * d, sums);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BlockQ4_0(byte* block, Vector512<float> xLow, Vector512<float> xHigh, Vector512<float> sums)
    {
        var d = Vector512.Create(QuantizedLayout.HalfToSingle(*(ushort*)block));
        var (low, high) = QuantizedNibbles.Split(Sse2.LoadVector128(block + 2));
        sums = Avx512F.FusedMultiplyAdd(xLow, QuantizedNibbles.Widen16(low) * d, sums);
        return Avx512F.FusedMultiplyAdd(xHigh, QuantizedNibbles.Widen16(high) * d, sums);
    }

    /// <summary><see cref="FourRows512"/> with two 256-bit registers per row of W: lanes 0–7 and lanes 8–15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows256(QuantizedFormat format, byte* w, nint rowBytes, int k, float* x, float* lanes)
    {
        for (var r = 0; r < 4; r++)
        {
            var block = w + (r * rowBytes);
            var blockBytes = QuantizedLayout.BlockBytes(format);
            Vector256<float> low = Vector256<float>.Zero, high = low;
            for (var p = 0; p < k; p += QuantizedLayout.BlockValues, block += blockBytes)
            {
                var d = Vector256.Create(QuantizedLayout.HalfToSingle(*(ushort*)block));
                Vector128<sbyte> first, second;
                if (format == QuantizedFormat.Q8_0)
                {
                    (first, second) = (Sse2.LoadVector128((sbyte*)(block + 2)), Sse2.LoadVector128((sbyte*)(block + 2 + Lanes)));
                }
                else
                {
                    (first, second) = QuantizedNibbles.Split(Sse2.LoadVector128(block + 2));
                }

                low = Fma.MultiplyAdd(Avx.LoadVector256(x + p), QuantizedNibbles.Widen8(first) * d, low);
                high = Fma.MultiplyAdd(Avx.LoadVector256(x + p + 8), QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(first, 8)) * d, high);
                low = Fma.MultiplyAdd(Avx.LoadVector256(x + p + Lanes), QuantizedNibbles.Widen8(second) * d, low);
                high = Fma.MultiplyAdd(Avx.LoadVector256(x + p + Lanes + 8), QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(second, 8)) * d, high);
            }

            Avx.Store(lanes + (r * Lanes), low);
            Avx.Store(lanes + (r * Lanes) + 8, high);
        }
    }

    /// <summary>The 16 sums of one row of W with scalar FMAs (the vector paths' reference).</summary>
    private static void RowScalar(QuantizedFormat format, byte* block, int k, float* x, float* lanes)
    {
        new Span<float>(lanes, Lanes).Clear();
        var blockBytes = QuantizedLayout.BlockBytes(format);
        for (var p = 0; p < k; p += QuantizedLayout.BlockValues, block += blockBytes)
        {
            var d = QuantizedLayout.HalfToSingle(*(ushort*)block);
            var q = block + 2;
            for (var i = 0; i < QuantizedLayout.BlockValues; i++)
            {
                var value = format == QuantizedFormat.Q8_0 ? ((sbyte*)q)[i] : i < Lanes ? (q[i] & 0x0F) - 8 : (q[i - Lanes] >> 4) - 8;
                lanes[i % Lanes] = MathF.FusedMultiplyAdd(x[p + i], value * d, lanes[i % Lanes]);
            }
        }
    }
}
