// One post-norm BART layer (Lewis et al. 2020, "BART: Denoising Sequence-to-Sequence Pre-training", §2.1 — the
// Vaswani et al. 2017 architecture with GELU; HF modeling_bart.BartEncoderLayer / BartDecoderLayer): each sub-layer is
// LayerNorm(x + sublayer(x)); decoder layers add masked self-attention's cache and encoder-decoder attention.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary>An encoder layer (self-attention, feed-forward) or a decoder layer (+ cross-attention).</summary>
public sealed class BartLayer
{
    private readonly int _layer;
    private readonly Seq2SeqAttention _selfAttention;
    private readonly LayerNorm _selfNorm;
    private readonly Seq2SeqAttention? _crossAttention;
    private readonly LayerNorm? _crossNorm;
    private readonly Mlp _feedForward;
    private readonly LayerNorm _finalNorm;

    /// <summary>Binds <c>layers.i</c>: <c>self_attn</c>, <c>self_attn_layer_norm</c>, (<c>encoder_attn</c>, <c>encoder_attn_layer_norm</c>), <c>fc1</c>, <c>fc2</c>, <c>final_layer_norm</c>.</summary>
    public BartLayer(Weights weights, BartConfig config, int layer, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _layer = layer;
        var heads = decoder ? config.DecoderHeads : config.EncoderHeads;
        var ffn = decoder ? config.DecoderFfnDim : config.EncoderFfnDim;
        _selfAttention = Attention(weights.Scope("self_attn"), config, heads);
        _selfNorm = new LayerNorm(weights.Scope("self_attn_layer_norm"), config.DModel);
        if (decoder)
        {
            _crossAttention = Attention(weights.Scope("encoder_attn"), config, heads);
            _crossNorm = new LayerNorm(weights.Scope("encoder_attn_layer_norm"), config.DModel);
        }

        _feedForward = new Mlp(config.Dense(weights.Scope("fc1"), config.DModel, ffn), config.Dense(weights.Scope("fc2"), ffn, config.DModel),
            Activations.FromHfName(config.ActivationFunction));
        _finalNorm = new LayerNorm(weights.Scope("final_layer_norm"), config.DModel);
    }

    /// <summary>Encoder layer: x (B, S, C) with padding mask (B, 1, 1, S) → (B, S, C).</summary>
    public Tensor Encode(Tensor x, Tensor mask, bool outputAttentions, out Tensor? attention)
    {
        x = _selfNorm.Forward(x + _selfAttention.SelfAttend(x, mask, null, _layer, outputAttentions, out attention)); // (B, S, C)
        return _finalNorm.Forward(x + _feedForward.Forward(x)); // (B, S, C)
    }

    /// <summary>
    /// Decoder layer: x (B, T, C) with the causal + padding mask of <paramref name="step"/>, attending to
    /// <paramref name="memory"/> (B, S, C) under <paramref name="memoryMask"/> (B, 1, 1, S) → (B, T, C).
    /// </summary>
    public Tensor Decode(Tensor x, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache,
        out Tensor? selfAttention, out Tensor? crossAttention)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_crossAttention is null || _crossNorm is null)
        {
            throw new InvalidOperationException("BART: Decode called on an encoder layer.");
        }

        x = _selfNorm.Forward(x + _selfAttention.SelfAttend(x, step.Mask, step.Cache, _layer, step.OutputAttentions, out selfAttention)); // (B, T, C)
        x = _crossNorm.Forward(x + _crossAttention.CrossAttend(x, memory, memoryMask, cache, _layer, step.OutputAttentions, out crossAttention)); // (B, T, C)
        return _finalNorm.Forward(x + _feedForward.Forward(x)); // (B, T, C)
    }

    private static Seq2SeqAttention Attention(Weights weights, BartConfig config, int heads) => new(
        config.Dense(weights.Scope("q_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("k_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("v_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("out_proj"), config.DModel, config.DModel),
        heads,
        1f / MathF.Sqrt(config.DModel / heads));
}
