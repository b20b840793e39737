// Multi-head attention of an encoder-decoder Transformer (Vaswani et al. 2017 §3.2.3: encoder self-attention, masked
// decoder self-attention, encoder-decoder attention), as HF BartAttention and T5Attention compute it: projections
// q/k/v/o, softmax(scale · QKᵀ + bias)·V, where the bias carries the masks (finfo(float32).min) and, for T5, the
// relative position bias; optionally rotary positions (Su et al. 2021) on self-attention queries and keys. Self-attention
// appends to a DecoderCache; cross-attention projects the encoder output once.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Nn;

namespace Loom.Models.Seq2Seq;

/// <summary>Self- or cross-attention with HF-named projections bound by the owning family.</summary>
public sealed class Seq2SeqAttention
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly LinearGroup _selfProjections; // q, k, v of self-attention: one kernel job when decoding
    private readonly Linear _output;
    private readonly int _heads;
    private readonly float _scale;
    private readonly Dropout? _probabilityDropout;
    private readonly RotaryPositions? _rotary;

    /// <summary>
    /// From the projections (C → H·D for q/k/v, H·D → C for the output), the head count H, the score scale
    /// (BART D^−½, T5 1), the dropout on the attention probabilities (training mode only) and the rotary positions
    /// applied to self-attention queries and keys (none for BART and T5).
    /// </summary>
    public Seq2SeqAttention(Linear query, Linear key, Linear value, Linear output, int heads, float scale, Dropout? probabilityDropout = null,
        RotaryPositions? rotary = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        if (heads <= 0 || query.OutFeatures % heads != 0 || key.OutFeatures != query.OutFeatures || value.OutFeatures != query.OutFeatures || output.InFeatures != query.OutFeatures)
        {
            throw new ModelLoadException($"Attention: expected q/k/v widths equal to the output input width and divisible by {heads} heads; found q {query.OutFeatures}, k {key.OutFeatures}, v {value.OutFeatures}, o {output.InFeatures}.");
        }

        (_query, _key, _value, _output, _heads, _scale, _probabilityDropout, _rotary) = (query, key, value, output, heads, scale, probabilityDropout, rotary);
        _selfProjections = new LinearGroup(query, key, value);
    }

    /// <summary>
    /// Self-attention of x (B, T, C) with <paramref name="bias"/> broadcastable to (B, H, T, S); with a
    /// <paramref name="cache"/> the new keys/values are appended at <paramref name="layer"/> and S counts the cached ones.
    /// <paramref name="positionIds"/> (B, T) place the rows for rotary positions (required when they are on).
    /// </summary>
    public Tensor SelfAttend(Tensor x, Tensor bias, DecoderCache? cache, int layer, bool outputAttentions, out Tensor? probabilities,
        IntTensor? positionIds = null)
    {
        var qkv = _selfProjections.Forward(x); // 3 × (B, T, H·D)
        var q = Rotate(Heads(qkv[0]), positionIds); // (B, H, T, D)
        var k = Rotate(Heads(qkv[1]), positionIds); // (B, H, T, D)
        var v = Heads(qkv[2]); // (B, H, T, D)
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v); // (B, H, S, D)
        }

        return Attend(q, k, v, bias, outputAttentions, out probabilities);
    }

    /// <summary>
    /// Cross-attention of x (B, T, C) over <paramref name="memory"/> (B, S, C), the encoder output; with a
    /// <paramref name="cache"/> the projected memory of <paramref name="layer"/> is computed once and reused.
    /// </summary>
    public Tensor CrossAttend(Tensor x, Tensor memory, Tensor bias, Seq2SeqCache? cache, int layer, bool outputAttentions, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(memory);
        (Tensor, Tensor) Project() => (Heads(_key.Forward(memory)), Heads(_value.Forward(memory))); // (B, H, S, D)
        var (k, v) = cache is null ? Project() : cache.CrossAttention(layer, Project);
        return Attend(Heads(_query.Forward(x)), k, v, bias, outputAttentions, out probabilities);
    }

    private Tensor Heads(Tensor x) => AttentionHeads.Split(x, _heads); // (B, T, H·D) → (B, H, T, D)

    private Tensor Rotate(Tensor x, IntTensor? positionIds) => _rotary is null
        ? x
        : _rotary.Apply(x, positionIds ?? throw new ArgumentNullException(nameof(positionIds), "Rotary attention needs the rows' position ids.")); // (B, H, T, D)

    private Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor bias, bool outputAttentions, out Tensor? probabilities)
    {
        // The fused kernel treats the bias as a constant; a learned bias (T5's relative positions) that needs a gradient
        // takes the composed path, whose score + bias addition is differentiable.
        var (context, p) = AttentionCore.Attend(q, k, v, bias, _scale, outputAttentions || bias.RequiresGrad, _probabilityDropout); // (B, H, T, D)
        probabilities = outputAttentions ? p : null;
        return _output.Forward(AttentionHeads.Merge(context)); // (B, T, C)
    }
}
