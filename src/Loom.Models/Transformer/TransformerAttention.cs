// Multi-head attention of the from-scratch Transformer (Vaswani et al. 2017 §3.2): q/k/v/o projections, softmax(QKᵀ/√D +
// bias)·V with the bias carrying masks and ALiBi, rotary positions (Su et al. 2021) on self-attention queries and keys at
// each row's position ids, dropout on the probabilities in training mode. Self-attention appends to a DecoderCache;
// cross-attention projects the encoder output once per Seq2SeqCache (as HF BartAttention with past_key_value).
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>Self- or cross-attention of one <see cref="TransformerBlock"/>.</summary>
public sealed class TransformerAttention
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _output;
    private readonly int _heads;
    private readonly float _scale;
    private readonly RotaryPositions? _rotary;
    private readonly Dropout _probabilityDropout;

    /// <summary>Binds q_proj, k_proj, v_proj and out_proj under <paramref name="weights"/>; <paramref name="rotary"/> rotates q and k.</summary>
    public TransformerAttention(Weights weights, TransformerConfig config, bool rotary)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Channels;
        _query = new Linear(weights.Scope("q_proj"), c, c);
        _key = new Linear(weights.Scope("k_proj"), c, c);
        _value = new Linear(weights.Scope("v_proj"), c, c);
        _output = new Linear(weights.Scope("out_proj"), c, c);
        _heads = config.Heads;
        _scale = 1f / MathF.Sqrt(config.HeadDim);
        _rotary = rotary ? new RotaryPositions(config.HeadDim, 10000f, RopeLayout.HalfRotation) : null;
        _probabilityDropout = new Dropout(weights, config.AttentionDropout);
    }

    /// <summary>
    /// Self-attention of x (B, T, C) → (B, T, C) under <see cref="TransformerStep.SelfBias"/>; with a cache the new keys
    /// and values are appended at <paramref name="layer"/> and attended together with the cached ones.
    /// </summary>
    public Tensor SelfAttend(Tensor x, TransformerStep step, int layer, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        var q = Rotate(Heads(_query.Forward(x)), step.PositionIds); // (B, H, T, D)
        var k = Rotate(Heads(_key.Forward(x)), step.PositionIds); // (B, H, T, D)
        var v = Heads(_value.Forward(x)); // (B, H, T, D)
        if (step.SelfCache is { } cache)
        {
            (k, v) = cache.Append(layer, k, v); // (B, H, S, D)
        }

        return Attend(q, k, v, step.SelfBias, step.OutputAttentions, out probabilities);
    }

    /// <summary>
    /// Cross-attention of x (B, T, C) over <see cref="TransformerStep.Memory"/> (B, S_enc, C) → (B, T, C); with a cache
    /// the memory's keys and values of <paramref name="layer"/> are projected on the first call and reused.
    /// </summary>
    public Tensor CrossAttend(Tensor x, TransformerStep step, int layer, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        var memory = step.Memory ?? throw new InvalidOperationException("Cross-attention needs the encoder output; the step has none.");
        (Tensor, Tensor) Project() => (Heads(_key.Forward(memory)), Heads(_value.Forward(memory))); // (B, H, S_enc, D) each
        var (k, v) = step.CrossCache is null ? Project() : step.CrossCache.CrossAttention(layer, Project);
        return Attend(Heads(_query.Forward(x)), k, v, step.MemoryBias!, step.OutputAttentions, out probabilities);
    }

    private Tensor Heads(Tensor x) => AttentionHeads.Split(x, _heads); // (B, T, C) → (B, H, T, D)

    private Tensor Rotate(Tensor x, IntTensor positionIds) => _rotary?.Apply(x, positionIds) ?? x; // (B, H, T, D)

    private Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor bias, bool outputAttentions, out Tensor? probabilities)
    {
        var (y, p) = AttentionCore.Attend(q, k, v, bias, _scale, outputAttentions, _probabilityDropout); // (B, H, T, D)
        probabilities = p;
        return _output.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }
}
