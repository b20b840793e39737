// Attention for one query row (Tq = 1), the shape of every step of token-by-token decoding: the scores are one row
// against the cached keys and the output one probability-weighted sum of the cached values, so both products are
// streams over the key/value cache, bound by memory bandwidth. The scores are GemmDotRows' dot products (the same bits
// as Forward); the value sum keeps each chunk of output columns in registers across all keys instead of loading and
// storing running sums per key, and nothing is allocated or dispatched to other threads per head.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

public static partial class AttentionKernel
{
    /// <summary>
    /// <see cref="Forward"/> for one query row (<paramref name="shape"/>.QueryLength = 1): q holds D floats, the tk keys
    /// and values are rows <paramref name="ldk"/> and <paramref name="ldv"/> apart, <paramref name="mask"/> is tk
    /// additive floats or empty. <paramref name="probs"/> (at least tk floats) receives the probabilities,
    /// <paramref name="output"/> the Dv outputs.
    /// </summary>
    /// <remarks>
    /// Order of operations (the same on the 512-bit, 256-bit and scalar paths): s_j = scale · (q·k_j) in GemmDotRows'
    /// order; the mask, the causal rule and <see cref="SoftmaxKernel.Forward"/> as in <see cref="Forward"/>; then each
    /// output o_c = Σ_j p_j·v_jc starts at 0 and takes one FMA per key in key order. Up to 256 keys this is also the
    /// order of Forward's value product, so its bits are Forward's; beyond, Forward sums blocks of 256 keys first.
    /// </remarks>
    public static void SingleQuery(AttentionShape shape, ReadOnlySpan<float> q, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> mask, Span<float> probs, Span<float> output) =>
        SingleQuery(Gemm.ActiveKernel, shape, q, k, ldk, v, ldv, mask, probs, output);

    /// <summary><see cref="SingleQuery(AttentionShape, ReadOnlySpan{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, Span{float})"/> on a chosen kernel family (tests compare them).</summary>
    internal static unsafe void SingleQuery(GemmKernel kernel, AttentionShape shape, ReadOnlySpan<float> q, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> mask, Span<float> probs, Span<float> output)
    {
        var (tk, d, dv) = (shape.KeyLength, shape.HeadDim, shape.ValueDim);
        if (shape.QueryLength != 1)
        {
            throw new ArgumentException($"SingleQuery: expected one query row; found {shape.QueryLength}.", nameof(shape));
        }

        CheckRows(k.Length, tk, d, ldk, nameof(k));
        CheckRows(v.Length, tk, dv, ldv, nameof(v));
        KernelGuard.AtLeast(d, q.Length, nameof(q));
        KernelGuard.AtLeast(tk, probs.Length, nameof(probs));
        KernelGuard.AtLeast(dv, output.Length, nameof(output));
        if (!mask.IsEmpty)
        {
            KernelGuard.AtLeast(tk, mask.Length, nameof(mask));
        }

        if (dv == 0)
        {
            return;
        }

        if (tk == 0)
        {
            output[..dv].Clear();
            return;
        }

        var row = probs[..tk];
        fixed (float* pq = q)
        fixed (float* pk = k)
        fixed (float* pp = row)
        {
            GemmDotRows.Run(new GemmProblem(false, true, 1, tk, d, shape.Scale, pq, Math.Max(d, 1), pk, ldk, 0f, pp, tk), kernel, 0, tk);
        }

        MaskRow(shape, 0, row, mask.IsEmpty ? [] : mask[..tk]);
        SoftmaxKernel.Forward(row, row);
        fixed (float* pp = row)
        fixed (float* pv = v)
        fixed (float* po = output)
        {
            WeightedValues(kernel, pp, tk, pv, ldv, dv, po);
        }
    }

    /// <summary>o_c = Σ_j p_j·v_jc for c in [0, dv): column chunks held in registers over all keys, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void WeightedValues(GemmKernel kernel, float* p, int tk, float* v, nint ldv, int dv, float* o)
    {
        var c = 0;
        if (kernel == GemmKernel.Vector512 && Avx512F.IsSupported)
        {
            for (; c + 64 <= dv; c += 64)
            {
                FourVectors512(p, tk, v + c, ldv, o + c);
            }

            for (; c + 16 <= dv; c += 16)
            {
                var sum = Vector512<float>.Zero;
                for (var j = 0; j < tk; j++)
                {
                    sum = Avx512F.FusedMultiplyAdd(Vector512.Create(p[j]), Avx512F.LoadVector512(v + c + (j * ldv)), sum);
                }

                Avx512F.Store(o + c, sum);
            }
        }

        if (kernel != GemmKernel.Scalar && Fma.IsSupported)
        {
            for (; c + 8 <= dv; c += 8)
            {
                var sum = Vector256<float>.Zero;
                for (var j = 0; j < tk; j++)
                {
                    sum = Fma.MultiplyAdd(Vector256.Create(p[j]), Avx.LoadVector256(v + c + (j * ldv)), sum);
                }

                Avx.Store(o + c, sum);
            }
        }

        new Span<float>(o + c, dv - c).Clear();
        for (var j = 0; j < tk && c < dv; j++)
        {
            var vj = v + (j * ldv);
            for (var x = c; x < dv; x++)
            {
                o[x] = MathF.FusedMultiplyAdd(p[j], vj[x], o[x]);
            }
        }
    }

    /// <summary>64 output columns in four 512-bit registers, one FMA per key and register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FourVectors512(float* p, int tk, float* v, nint ldv, float* o)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (var j = 0; j < tk; j++, v += ldv)
        {
            var weight = Vector512.Create(p[j]);
            s0 = Avx512F.FusedMultiplyAdd(weight, Avx512F.LoadVector512(v), s0);
            s1 = Avx512F.FusedMultiplyAdd(weight, Avx512F.LoadVector512(v + 16), s1);
            s2 = Avx512F.FusedMultiplyAdd(weight, Avx512F.LoadVector512(v + 32), s2);
            s3 = Avx512F.FusedMultiplyAdd(weight, Avx512F.LoadVector512(v + 48), s3);
        }

        Avx512F.Store(o, s0);
        Avx512F.Store(o + 16, s1);
        Avx512F.Store(o + 32, s2);
        Avx512F.Store(o + 48, s3);
    }

    /// <summary>Checks that <paramref name="length"/> floats hold <paramref name="rows"/> rows of <paramref name="width"/>, <paramref name="ld"/> apart.</summary>
    private static void CheckRows(int length, int rows, int width, int ld, string name)
    {
        if (ld < width)
        {
            throw new ArgumentOutOfRangeException(name, ld, $"Attention operand '{name}' has rows of {width}: expected a row stride of at least {width}, found {ld}.");
        }

        KernelGuard.AtLeast(rows == 0 || width == 0 ? 0 : ((rows - 1) * ld) + width, length, name);
    }
}
