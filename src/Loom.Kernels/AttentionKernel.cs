// Scaled dot-product attention for one (batch, head) pair (Vaswani et al. 2017, "Attention Is All You Need"):
// S = scale·Q·Kᵀ + mask, causal positions set to the most negative finite float, P = softmax(S), O = P·V, and the
// backward pass dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ = scale·dS·K, dK = scale·dSᵀ·Q
// (as derived in FlashAttention, Dao et al. 2022, section 3; here unblocked, with P kept from the forward pass).
// Masked scores are clamped at float.MinValue, never −∞, so a fully masked row is uniform instead of NaN.
// The *Scalar methods are plain double loops used as the reference in tests. One query row (decoding) has its own
// streaming path, SingleQuery (AttentionKernel.SingleQuery.cs).
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>Attention kernel for one head; matrices are row-major with the given row strides (ld).</summary>
public static partial class AttentionKernel
{
    /// <summary>
    /// Computes probs (tq×tk, row stride tk) and output (tq×dv, row stride dv). <paramref name="mask"/> is an additive
    /// tq×tk bias read with row stride <paramref name="maskStride"/> (0 broadcasts one row) or empty. With
    /// <paramref name="causal"/>, query i sees keys j ≤ i + (tk − tq) (the queries are the last tq positions).
    /// </summary>
    public static void Forward(AttentionShape shape, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> mask, int maskStride, Span<float> probs, Span<float> output)
    {
        var (tq, tk, d, dv) = (shape.QueryLength, shape.KeyLength, shape.HeadDim, shape.ValueDim);
        KernelGuard.AtLeast(tq * tk, probs.Length, nameof(probs));
        KernelGuard.AtLeast(tq * dv, output.Length, nameof(output));
        if (tq == 0 || dv == 0)
        {
            return;
        }

        if (tk == 0)
        {
            output[..(tq * dv)].Clear();
            return;
        }

        Gemm.Multiply(false, true, tq, tk, d, shape.Scale, q, ldq, k, ldk, 0f, probs, tk);
        for (var i = 0; i < tq; i++)
        {
            var row = probs.Slice(i * tk, tk);
            MaskRow(shape, i, row, mask.IsEmpty ? [] : mask.Slice(i * maskStride, tk));
            SoftmaxKernel.Forward(row, row);
        }

        Gemm.Multiply(false, false, tq, dv, tk, 1f, probs, tk, v, ldv, 0f, output, dv);
    }

    /// <summary>Reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(AttentionShape shape, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> mask, int maskStride, Span<float> probs, Span<float> output)
    {
        var (tq, tk, d, dv) = (shape.QueryLength, shape.KeyLength, shape.HeadDim, shape.ValueDim);
        for (var i = 0; i < tq; i++)
        {
            var row = probs.Slice(i * tk, tk);
            for (var j = 0; j < tk; j++)
            {
                var dot = 0d;
                for (var c = 0; c < d; c++)
                {
                    dot += (double)q[(i * ldq) + c] * k[(j * ldk) + c];
                }

                row[j] = (float)(dot * shape.Scale);
            }

            MaskRow(shape, i, row, mask.IsEmpty ? [] : mask.Slice(i * maskStride, tk));
            SoftmaxKernel.ForwardScalar(row, row);
            for (var c = 0; c < dv; c++)
            {
                var sum = 0d;
                for (var j = 0; j < tk; j++)
                {
                    sum += (double)row[j] * v[(j * ldv) + c];
                }

                output[(i * dv) + c] = (float)sum;
            }
        }
    }

    /// <summary>
    /// Adds the gradients of one head into dq (tq×d, row stride d), dk (tk×d) and dv (tk×dv), given the forward
    /// probabilities and dOut (tq×dv). <paramref name="scratch"/> needs tq·tk floats.
    /// </summary>
    public static void Backward(AttentionShape shape, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> probs, ReadOnlySpan<float> dOut, Span<float> scratch,
        Span<float> dq, Span<float> dk, Span<float> dv)
    {
        var (tq, tk, d, dvDim) = (shape.QueryLength, shape.KeyLength, shape.HeadDim, shape.ValueDim);
        if (tq == 0 || tk == 0)
        {
            return;
        }

        KernelGuard.AtLeast(tq * tk, scratch.Length, nameof(scratch));
        if (dvDim > 0)
        {
            Gemm.Multiply(true, false, tk, dvDim, tq, 1f, probs, tk, dOut, dvDim, 1f, dv, dvDim);
            Gemm.Multiply(false, true, tq, tk, dvDim, 1f, dOut, dvDim, v, ldv, 0f, scratch, tk);
        }
        else
        {
            scratch[..(tq * tk)].Clear();
        }

        for (var i = 0; i < tq; i++)
        {
            var row = scratch.Slice(i * tk, tk);
            SoftmaxKernel.Backward(probs.Slice(i * tk, tk), row, row);
        }

        if (d > 0)
        {
            Gemm.Multiply(false, false, tq, d, tk, shape.Scale, scratch, tk, k, ldk, 1f, dq, d);
            Gemm.Multiply(true, false, tk, d, tq, shape.Scale, scratch, tk, q, ldq, 1f, dk, d);
        }
    }

    /// <summary>Reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(AttentionShape shape, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk,
        ReadOnlySpan<float> v, int ldv, ReadOnlySpan<float> probs, ReadOnlySpan<float> dOut, Span<float> scratch,
        Span<float> dq, Span<float> dk, Span<float> dv)
    {
        var (tq, tk, d, dvDim) = (shape.QueryLength, shape.KeyLength, shape.HeadDim, shape.ValueDim);
        for (var i = 0; i < tq; i++)
        {
            var rowDot = 0d;
            for (var j = 0; j < tk; j++)
            {
                var dp = 0d;
                for (var c = 0; c < dvDim; c++)
                {
                    dp += (double)dOut[(i * dvDim) + c] * v[(j * ldv) + c];
                    dv[(j * dvDim) + c] += probs[(i * tk) + j] * dOut[(i * dvDim) + c];
                }

                scratch[(i * tk) + j] = (float)dp;
                rowDot += dp * probs[(i * tk) + j];
            }

            for (var j = 0; j < tk; j++)
            {
                var ds = probs[(i * tk) + j] * (scratch[(i * tk) + j] - rowDot) * shape.Scale;
                for (var c = 0; c < d; c++)
                {
                    dq[(i * d) + c] += (float)(ds * k[(j * ldk) + c]);
                    dk[(j * d) + c] += (float)(ds * q[(i * ldq) + c]);
                }
            }
        }
    }

    private static void MaskRow(AttentionShape shape, int i, Span<float> row, ReadOnlySpan<float> maskRow)
    {
        if (!maskRow.IsEmpty)
        {
            TensorPrimitives.Add(row, maskRow[..row.Length], row);
            TensorPrimitives.Max(row, float.MinValue, row); // −∞ (a large negative score plus the mask) becomes the most negative finite float
        }

        if (shape.Causal)
        {
            var last = i + shape.KeyLength - shape.QueryLength;
            for (var j = Math.Max(last + 1, 0); j < row.Length; j++)
            {
                row[j] = float.MinValue;
            }
        }
    }
}
