// Multi-head attention of the from-scratch Transformer (Vaswani et al. 2017 §3.2): the shared Seq2SeqAttention with
// softmax(QKᵀ/√D + bias)·V, the bias carrying masks and ALiBi, rotary positions (Su et al. 2021) on self-attention
// queries and keys at each row's position ids, dropout on the probabilities in training mode.
using Loom.Core;
using Loom.Models.Llama;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>Self- or cross-attention of one <see cref="TransformerBlock"/>: the shared <see cref="Seq2SeqAttention"/> bound to this model's names and driven by a <see cref="TransformerStep"/>.</summary>
public sealed class TransformerAttention
{
    private readonly Seq2SeqAttention _attention;

    /// <summary>Binds q_proj, k_proj, v_proj and out_proj under <paramref name="weights"/>; <paramref name="rotary"/> rotates q and k.</summary>
    public TransformerAttention(Weights weights, TransformerConfig config, bool rotary)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Channels;
        _attention = new Seq2SeqAttention(
            new Linear(weights.Scope("q_proj"), c, c),
            new Linear(weights.Scope("k_proj"), c, c),
            new Linear(weights.Scope("v_proj"), c, c),
            new Linear(weights.Scope("out_proj"), c, c),
            config.Heads,
            1f / MathF.Sqrt(config.HeadDim),
            new Dropout(weights, config.AttentionDropout),
            rotary ? new RotaryPositions(config.HeadDim, 10000f, RopeLayout.HalfRotation) : null);
    }

    /// <summary>
    /// Self-attention of x (B, T, C) → (B, T, C) under <see cref="TransformerStep.SelfBias"/>; with a cache the new keys
    /// and values are appended at <paramref name="layer"/> and attended together with the cached ones.
    /// </summary>
    public Tensor SelfAttend(Tensor x, TransformerStep step, int layer, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        return _attention.SelfAttend(x, step.SelfBias, step.SelfCache, layer, step.OutputAttentions, out probabilities, step.PositionIds);
    }

    /// <summary>
    /// Cross-attention of x (B, T, C) over <see cref="TransformerStep.Memory"/> (B, S_enc, C) → (B, T, C); with a cache
    /// the memory's keys and values of <paramref name="layer"/> are projected on the first call and reused.
    /// </summary>
    public Tensor CrossAttend(Tensor x, TransformerStep step, int layer, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        var memory = step.Memory ?? throw new InvalidOperationException("Cross-attention needs the encoder output; the step has none.");
        return _attention.CrossAttend(x, memory, step.MemoryBias!, step.CrossCache, layer, step.OutputAttentions, out probabilities);
    }
}
