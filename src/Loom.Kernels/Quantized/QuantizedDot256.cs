// 256-bit (AVX2 + FMA) quantised row dot products: each block's signed bytes are widened to int32 and converted to
// float32 in registers (vpmovsxbd, vcvtdq2ps), multiplied with x, and the block sum scaled by d into the running sum.
// Two accumulators alternate between blocks so consecutive blocks do not wait on each other.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>The AVX2 path of <see cref="QuantizedMatmul"/> for one row of x.</summary>
internal static unsafe class QuantizedDot256
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
            Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
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

            y[j] = Vector256.Sum(Avx.Add(even, odd));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> BlockQ8_0(byte* block, float* x, Vector256<float> acc)
    {
        var q = (sbyte*)(block + 2);
        var s = Avx.Multiply(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q)), Avx.LoadVector256(x));
        s = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 8)), Avx.LoadVector256(x + 8), s);
        s = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 16)), Avx.LoadVector256(x + 16), s);
        s = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 24)), Avx.LoadVector256(x + 24), s);
        return Fma.MultiplyAdd(s, Vector256.Create(QuantizedLayout.HalfToSingle(*(ushort*)block)), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> BlockQ4_0(byte* block, float* x, Vector256<float> acc)
    {
        var (low, high) = QuantizedNibbles.Split(Sse2.LoadVector128(block + 2));
        var s = Avx.Multiply(QuantizedNibbles.Widen8(low), Avx.LoadVector256(x));
        s = Fma.MultiplyAdd(QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(low, 8)), Avx.LoadVector256(x + 8), s);
        s = Fma.MultiplyAdd(QuantizedNibbles.Widen8(high), Avx.LoadVector256(x + 16), s);
        s = Fma.MultiplyAdd(QuantizedNibbles.Widen8(Sse2.ShiftRightLogical128BitLane(high, 8)), Avx.LoadVector256(x + 24), s);
        return Fma.MultiplyAdd(s, Vector256.Create(QuantizedLayout.HalfToSingle(*(ushort*)block)), acc);
    }
}
