// Multi-head attention (Vaswani et al. 2017) with grouped-query / multi-query key-value heads (Ainslie et al. 2023;
// Shazeer 2019), optional rotary positions (Su et al. 2021) and ALiBi biases (Press et al. 2022). Shapes follow
// nanoGPT's CausalSelfAttention and HF LlamaAttention; the score/softmax/value product is the fused core op.
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// Self- or cross-attention over projections built by the model: query (C → H·D), key and value (C_kv → KvH·D) and
/// output (H·D → C). H must be a multiple of KvH (KvH = H: multi-head; 1: multi-query; otherwise grouped-query).
/// </summary>
public sealed class MultiHeadAttention
{
    private readonly float[]? _alibiSlopes;
    private readonly LinearGroup _keyValue; // key and value read the same source: one kernel job when decoding

    /// <summary>Creates the block; <paramref name="scale"/> defaults to 1/√D.</summary>
    public MultiHeadAttention(Linear query, Linear key, Linear value, Linear output, int heads, int kvHeads,
        RotaryEmbedding? rotary = null, bool alibi = false, float? scale = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || query.OutFeatures % heads != 0)
        {
            throw new ArgumentException($"MultiHeadAttention: expected H > 0 dividing the query width and KvH dividing H; found H = {heads}, KvH = {kvHeads}, query width {query.OutFeatures}.");
        }

        var headDim = query.OutFeatures / heads;
        if (key.OutFeatures != kvHeads * headDim || value.OutFeatures != kvHeads * headDim || output.InFeatures != heads * headDim)
        {
            throw new TensorShapeException($"MultiHeadAttention: expected key/value width KvH·D = {kvHeads * headDim} and output input width H·D = {heads * headDim}; found key {key.OutFeatures}, value {value.OutFeatures}, output {output.InFeatures}.");
        }

        if (rotary is not null && rotary.HeadDim != headDim)
        {
            throw new TensorShapeException($"MultiHeadAttention: rotary head dimension {rotary.HeadDim} differs from D = {headDim}.");
        }

        (Query, Key, Value, Output, Heads, KvHeads, HeadDim, Rotary, Scale) = (query, key, value, output, heads, kvHeads, headDim, rotary, scale);
        _alibiSlopes = alibi ? AttentionMasks.AlibiSlopes(heads) : null;
        _keyValue = new LinearGroup(key, value);
    }

    /// <summary>C → H·D.</summary>
    public Linear Query { get; }

    /// <summary>C_kv → KvH·D.</summary>
    public Linear Key { get; }

    /// <summary>C_kv → KvH·D.</summary>
    public Linear Value { get; }

    /// <summary>H·D → C.</summary>
    public Linear Output { get; }

    /// <summary>H.</summary>
    public int Heads { get; }

    /// <summary>KvH.</summary>
    public int KvHeads { get; }

    /// <summary>D.</summary>
    public int HeadDim { get; }

    /// <summary>Rotary embedding applied to queries and keys, or null.</summary>
    public RotaryEmbedding? Rotary { get; }

    /// <summary>Score scale; null means 1/√D.</summary>
    public float? Scale { get; }

    /// <summary>
    /// x (B, T, C) → (B, T, C). Keys and values come from <paramref name="context"/> (B, S, C_kv) for cross-attention,
    /// else from x. <paramref name="mask"/> is an additive mask broadcastable to (B, H, T, S) (see
    /// <see cref="AttentionMasks"/>); <paramref name="causal"/> hides future keys; <paramref name="startPosition"/> is the
    /// absolute position of x's first token (rotary / ALiBi). With a <paramref name="cache"/>, self-attention appends
    /// this call's keys and values to it and attends over all of them (x's first position is then the cache length);
    /// cross-attention projects the context on the first call and reuses it afterwards.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? context = null, Tensor? mask = null, bool causal = false, int startPosition = 0, KvCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (cache is not null && context is null)
        {
            startPosition = cache.Length;
        }

        var q = AttentionHeads.Split(Query.Forward(x), Heads); // (B, H, T, D)
        if (Rotary is not null)
        {
            q = Rotary.Apply(q, startPosition);
        }

        var (k, v) = context is not null && cache is { Length: > 0 } ? (cache.Keys!, cache.Values!) : KeysAndValues(context ?? x, context is null ? startPosition : 0);
        if (cache is not null && (context is null || cache.Length == 0))
        {
            (k, v) = cache.Append(k, v); // (B, KvH, S, D)
        }

        if (_alibiSlopes is not null)
        {
            var bias = AttentionMasks.Alibi(_alibiSlopes, q.Size(2), k.Size(2)); // (1, H, T, S)
            mask = mask is null ? bias : bias + mask.Detach(); // (B, H, T, S)
        }

        var y = Tensor.ScaledDotProductAttention(q, k, v, mask, causal, Scale); // (B, H, T, D)
        return Output.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }

    private (Tensor Keys, Tensor Values) KeysAndValues(Tensor source, int start)
    {
        var kv = _keyValue.Forward(source); // 2 × (B, S, KvH·D)
        var k = AttentionHeads.Split(kv[0], KvHeads); // (B, KvH, S, D)
        var v = AttentionHeads.Split(kv[1], KvHeads); // (B, KvH, S, D)
        return (Rotary is null ? k : Rotary.Apply(k, start), v);
    }
}
