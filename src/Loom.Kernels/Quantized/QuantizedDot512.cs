// 512-bit (AVX-512F) quantised row dot products: each block's signed bytes are widened to int32 and converted to
// float32 in registers (vpmovsxbd, vcvtdq2ps, 16 lanes at a time), multiplied with x, and the block sum scaled by d into the running sum.
// Two accumulators alternate between blocks so consecutive blocks do not wait on each other.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>The AVX-512 path of <see cref="QuantizedMatmul"/> for one row of x.</summary>
internal static unsafe class QuantizedDot512
{
    /// <summary>y[j] for the rows j in [<paramref name="n0"/>, <paramref name="n1"/>); see <see cref="QuantizedDotScalar.Rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(QuantizedFormat format, byte* weights, int k, float* x, float* y, int n0, int n1)
    {
        var rowBytes = QuantizedLayout.RowBytes(format, k);
        var blockBytes = QuantizedLayout.BlockBytes(format);
        var blocks = k / QuantizedLayout.BlockValues;
        for (var j = n0; j < n1; j++)
        {
            var block = weights + ((nint)j * rowBytes);
            var xb = x;
            Vector512<float> even = Vector512<float>.Zero, odd = Vector512<float>.Zero;
            var b = 0;
            if (format == QuantizedFormat.Q8_0)
            {
                for (; b + 2 <= blocks; b += 2, block += 2 * blockBytes, xb += 64)
                {
                    even = BlockQ8_0(block, xb, even);
                    odd = BlockQ8_0(block + blockBytes, xb + 32, odd);
                }

                if (b < blocks)
                {
                    even = BlockQ8_0(block, xb, even);
                }
            }
            else
            {
                for (; b + 2 <= blocks; b += 2, block += 2 * blockBytes, xb += 64)
                {
                    even = BlockQ4_0(block, xb, even);
                    odd = BlockQ4_0(block + blockBytes, xb + 32, odd);
                }

                if (b < blocks)
                {
                    even = BlockQ4_0(block, xb, even);
                }
            }

            y[j] = Vector512.Sum(Avx512F.Add(even, odd));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BlockQ8_0(byte* block, float* x, Vector512<float> acc)
    {
        var q = (sbyte*)(block + 2);
        var s = Avx512F.Multiply(QuantizedNibbles.Widen16(Sse2.LoadVector128(q)), Avx512F.LoadVector512(x));
        s = Avx512F.FusedMultiplyAdd(QuantizedNibbles.Widen16(Sse2.LoadVector128(q + 16)), Avx512F.LoadVector512(x + 16), s);
        return Avx512F.FusedMultiplyAdd(s, Vector512.Create(QuantizedLayout.HalfToSingle(*(ushort*)block)), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BlockQ4_0(byte* block, float* x, Vector512<float> acc)
    {
        var (low, high) = QuantizedNibbles.Split(Sse2.LoadVector128(block + 2));
        var s = Avx512F.Multiply(QuantizedNibbles.Widen16(low), Avx512F.LoadVector512(x));
        s = Avx512F.FusedMultiplyAdd(QuantizedNibbles.Widen16(high), Avx512F.LoadVector512(x + 16), s);
        return Avx512F.FusedMultiplyAdd(s, Vector512.Create(QuantizedLayout.HalfToSingle(*(ushort*)block)), acc);
    }
}
