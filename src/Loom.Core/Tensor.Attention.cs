// Fused scaled-dot-product attention over (B, H, T, D) tensors (torch.nn.functional.scaled_dot_product_attention
// semantics with an additive float mask), grouped-query heads (Ainslie et al. 2023) and rotary embeddings
// (Su et al. 2021). Per-head work is done by Loom.Kernels.AttentionKernel / RopeKernel; a decoding step (one query row,
// nothing recorded) takes AttentionKernel.SingleQuery, which streams the key/value cache once per head.
using System.Buffers;
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Most keys whose single-query scores live on the stack (16 KiB); longer caches use a pooled buffer.</summary>
    private const int MaxStackScores = 4096;

    /// <summary>
    /// softmax(scale · Q·Kᵀ + mask) · V for q (B, H, Tq, D), k (B, KvH, Tk, D), v (B, KvH, Tk, Dv) with H a multiple of
    /// KvH (query head h reads kv head h / (H / KvH)). <paramref name="mask"/> is an additive bias broadcastable to
    /// (B, H, Tq, Tk) — see <see cref="AttentionMasks"/> — treated as a constant (no gradient). With
    /// <paramref name="causal"/>, query i sees keys j ≤ i + Tk − Tq. Scale defaults to 1/√D. Returns (B, H, Tq, Dv).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? mask = null, bool causal = false, float? scale = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        var plan = AttentionPlan.Create(q, k, v, mask, causal, scale);
        var (b, h, tq, dv) = (plan.Batch, plan.Heads, plan.Shape.QueryLength, plan.Shape.ValueDim);
        var tk = plan.Shape.KeyLength;
        var record = WillRecord(q, k, v);
        if (!record && tq == 1)
        {
            return new Tensor(SingleQueryHeads(plan), [b, h, tq, dv]);
        }

        // The kernel writes every output element, and every probability whenever there is a value dimension.
        var probs = !record ? null : dv > 0 ? Uninitialized(b * h * tq * tk) : new float[b * h * tq * tk];
        var output = Uninitialized(b * h * tq * dv);
        ParallelRows.For(b * h, (long)tq * Math.Max(tk, 1) * Math.Max(plan.Shape.HeadDim + dv, 1), (start, end) =>
        {
            var scratch = probs is null ? new float[tq * tk] : null;
            for (var head = start; head < end; head++)
            {
                var p = probs is null ? scratch : probs.AsSpan(head * tq * tk, tq * tk);
                var kv = plan.KvHead(head);
                AttentionKernel.Forward(plan.Shape, plan.Q.Head(head), plan.Q.RowStride, plan.K.Head(kv), plan.K.RowStride,
                    plan.V.Head(kv), plan.V.RowStride, plan.MaskRows(head), plan.MaskStride, p, output.AsSpan(head * tq * dv, tq * dv));
            }
        });

        var result = new Tensor(output, [b, h, tq, dv]);
        return probs is not null ? Record(result, new AttentionOp(q, k, v, plan, probs), q, k, v) : result;
    }

    /// <summary>
    /// One query row per head and nothing recorded (a decoding step): <see cref="AttentionKernel.SingleQuery"/> per
    /// head, with the scores of each part of the heads in one buffer on the stack (pooled above
    /// <see cref="MaxStackScores"/> keys). Returns the (B·H, Dv) outputs.
    /// </summary>
    private static float[] SingleQueryHeads(AttentionPlan plan)
    {
        var (tk, dv) = (plan.Shape.KeyLength, plan.Shape.ValueDim);
        var output = Uninitialized(plan.Batch * plan.Heads * dv);
        ParallelRows.For(plan.Batch * plan.Heads, (long)Math.Max(tk, 1) * Math.Max(plan.Shape.HeadDim + dv, 1), (start, end) =>
        {
            var pooled = tk > MaxStackScores ? ArrayPool<float>.Shared.Rent(tk) : null;
            var scores = pooled is null ? stackalloc float[tk] : pooled.AsSpan(0, tk);
            for (var head = start; head < end; head++)
            {
                var kv = plan.KvHead(head);
                AttentionKernel.SingleQuery(plan.Shape, plan.Q.Head(head), plan.K.Head(kv), plan.K.RowStride,
                    plan.V.Head(kv), plan.V.RowStride, plan.MaskRows(head), scores, output.AsSpan(head * dv, dv));
            }

            if (pooled is not null)
            {
                ArrayPool<float>.Shared.Return(pooled);
            }
        });
        return output;
    }

    /// <summary>
    /// Rotates each (…, T, D) head vector by position: <paramref name="cos"/> and <paramref name="sin"/> are (T, D/2)
    /// tables (see <see cref="RopeTables"/>), pairs chosen by <paramref name="layout"/>.
    /// </summary>
    public Tensor Rope(Tensor cos, Tensor sin, RopeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        if (Rank < 2 || _shape[^1] % 2 != 0)
        {
            throw new TensorShapeException($"Rope: expected (…, T, D) with even D; found {ShapeMath.Format(_shape)}.");
        }

        int t = _shape[^2], half = _shape[^1] / 2;
        foreach (var table in new[] { cos, sin })
        {
            if (table.Rank != 2 || table._shape[0] != t || table._shape[1] != half)
            {
                throw new TensorShapeException($"Rope: cos/sin tables must be (T, D/2) = [{t}, {half}]; found {ShapeMath.Format(table._shape)}.");
            }
        }

        var result = new Tensor(RotateRows(ReadSpan(), cos, sin, layout, inverse: false), (int[])_shape.Clone());
        return Record(result, new RopeOp(this, cos.Detach(), sin.Detach(), layout), this);
    }

    /// <summary>
    /// cos/sin tables (T, D/2) for positions start … start + T − 1 with inverse frequencies θ^(−2i/D), computed in float32
    /// like HF transformers' rotary embedding.
    /// </summary>
    public static (Tensor Cos, Tensor Sin) RopeTables(int positions, int headDim, float theta = 10000f, int start = 0)
    {
        if (headDim <= 0 || headDim % 2 != 0 || positions < 0)
        {
            throw new TensorShapeException($"RopeTables: need positions ≥ 0 and an even head dimension > 0; found {positions} and {headDim}.");
        }

        var half = headDim / 2;
        var cos = new float[positions * half];
        var sin = new float[positions * half];
        for (var i = 0; i < half; i++)
        {
            var inverseFrequency = 1f / MathF.Pow(theta, 2 * i / (float)headDim);
            for (var p = 0; p < positions; p++)
            {
                var angle = (start + p) * inverseFrequency;
                cos[(p * half) + i] = MathF.Cos(angle);
                sin[(p * half) + i] = MathF.Sin(angle);
            }
        }

        return (new Tensor(cos, [positions, half]), new Tensor(sin, [positions, half]));
    }

    internal static float[] RotateRows(ReadOnlySpan<float> x, Tensor cos, Tensor sin, RopeLayout layout, bool inverse)
    {
        int t = cos.ShapeArray[0], half = cos.ShapeArray[1], d = 2 * half;
        var c = cos.ReadSpan();
        var s = sin.ReadSpan();
        var output = new float[x.Length];
        for (var row = 0; d > 0 && row < x.Length / d; row++)
        {
            var position = row % t;
            RopeKernel.Apply(x.Slice(row * d, d), c.Slice(position * half, half), s.Slice(position * half, half),
                layout == RopeLayout.Interleaved, inverse, output.AsSpan(row * d, d));
        }

        return output;
    }
}
