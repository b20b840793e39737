using Loom.Kernels;

namespace Loom.Core.Autograd;

/// <summary>
/// Validated shapes and per-head layouts of one attention call, kept for the backward pass: each of q/k/v is read in
/// place when its last dimension is contiguous (e.g. a (B, T, H, D) tensor transposed to (B, H, T, D)).
/// </summary>
internal sealed class AttentionPlan
{
    private AttentionPlan(HeadLayout q, HeadLayout k, HeadLayout v, Tensor? mask, int[] maskStrides, int batch, int heads, int kvHeads, AttentionShape shape)
    {
        (Q, K, V, Mask, _maskStrides, Batch, Heads, KvHeads, Shape) = (q, k, v, mask, maskStrides, batch, heads, kvHeads, shape);
    }

    private readonly int[] _maskStrides;

    public HeadLayout Q { get; }

    public HeadLayout K { get; }

    public HeadLayout V { get; }

    public Tensor? Mask { get; }

    public int Batch { get; }

    public int Heads { get; }

    public int KvHeads { get; }

    public AttentionShape Shape { get; }

    public int MaskStride => Mask is null ? 0 : _maskStrides[2];

    public static AttentionPlan Create(Tensor q, Tensor k, Tensor v, Tensor? mask, bool causal, float? scale)
    {
        if (q.Rank != 4 || k.Rank != 4 || v.Rank != 4)
        {
            throw new TensorShapeException($"Attention: q, k, v must be (B, H, T, D); found {ShapeMath.Format(q.ShapeArray)}, {ShapeMath.Format(k.ShapeArray)}, {ShapeMath.Format(v.ShapeArray)}.");
        }

        var (qs, ks, vs) = (q.ShapeArray, k.ShapeArray, v.ShapeArray);
        var (b, h, tq, d) = (qs[0], qs[1], qs[2], qs[3]);
        var (kvh, tk) = (ks[1], ks[2]);
        if (ks[0] != b || vs[0] != b || vs[1] != kvh || vs[2] != tk || ks[3] != d || kvh == 0 || h % kvh != 0)
        {
            throw new TensorShapeException($"Attention: expected k (B={b}, KvH dividing H={h}, Tk, D={d}) and v (B, KvH, Tk, Dv); found k {ShapeMath.Format(ks)}, v {ShapeMath.Format(vs)}.");
        }

        int[] maskStrides = [];
        if (mask is not null)
        {
            int[] full = [b, h, tq, tk];
            maskStrides = ShapeMath.BroadcastStrides(mask.ShapeArray, mask.Strides, full, "Attention mask");
            if (tk > 1 && maskStrides[3] != 1)
            {
                mask = mask.Materialize();
                maskStrides = ShapeMath.BroadcastStrides(mask.ShapeArray, mask.Strides, full, "Attention mask");
            }
        }

        var shape = new AttentionShape(tq, tk, d, vs[3], scale ?? (d == 0 ? 1f : 1f / MathF.Sqrt(d)), causal);
        return new AttentionPlan(HeadLayout.Of(q), HeadLayout.Of(k), HeadLayout.Of(v), mask, maskStrides, b, h, kvh, shape);
    }

    /// <summary>The kv head read by query head number <paramref name="head"/> (= b·H + h).</summary>
    public int KvHead(int head) => ((head / Heads) * KvHeads) + (head % Heads / (Heads / KvHeads));

    public ReadOnlySpan<float> MaskRows(int head)
    {
        if (Mask is null)
        {
            return [];
        }

        var offset = Mask.Offset + (head / Heads * _maskStrides[0]) + (head % Heads * _maskStrides[1]);
        var length = ((Shape.QueryLength - 1) * _maskStrides[2]) + Shape.KeyLength;
        return Shape.QueryLength == 0 || Shape.KeyLength == 0 ? [] : Mask.Storage.AsSpan(offset, length);
    }
}
