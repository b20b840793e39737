// One pre-norm T5 block (Raffel et al. 2020 §2.1; HF modeling_t5.T5Block): x + SelfAttention(norm(x)), in the decoder
// x + EncDecAttention(norm(x), encoder output), then x + DenseReluDense(norm(x)). Norms are RMS-style without bias or
// mean subtraction (T5LayerNorm); projections have no bias and scores are not scaled by 1/√D. The feed-forward is
// wo(relu(wi x)) or, gated (T5 v1.1), wo(act(wi_0 x) ⊙ wi_1 x).
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary><c>encoder.block.i</c> or <c>decoder.block.i</c>.</summary>
public sealed class T5Block
{
    private readonly int _layer;
    private readonly RmsNorm _selfNorm;
    private readonly Seq2SeqAttention _selfAttention;
    private readonly RmsNorm? _crossNorm;
    private readonly Seq2SeqAttention? _crossAttention;
    private readonly RmsNorm _feedForwardNorm;
    private readonly Mlp _feedForward;

    /// <summary>Binds <c>layer.0</c> (self-attention), in the decoder <c>layer.1</c> (cross-attention), and the feed-forward layer.</summary>
    public T5Block(Weights weights, T5Config config, int layer, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _layer = layer;
        var layers = weights.Scope("layer");
        _selfNorm = new RmsNorm(layers.Scope("0.layer_norm"), config.DModel, config.LayerNormEpsilon);
        _selfAttention = Attention(layers.Scope("0.SelfAttention"), config);
        if (decoder)
        {
            _crossNorm = new RmsNorm(layers.Scope("1.layer_norm"), config.DModel, config.LayerNormEpsilon);
            _crossAttention = Attention(layers.Scope("1.EncDecAttention"), config);
        }

        var ff = layers.Scope(decoder ? 2 : 1);
        _feedForwardNorm = new RmsNorm(ff.Scope("layer_norm"), config.DModel, config.LayerNormEpsilon);
        var dense = ff.Scope("DenseReluDense");
        var activation = Activations.FromHfName(config.DenseActFn);
        var down = new Linear(dense.Scope("wo"), config.DFf, config.DModel, bias: false, weightInit: config.NormalInit(config.DFf));
        Linear Up(string name) => new(dense.Scope(name), config.DModel, config.DFf, bias: false, weightInit: config.NormalInit(config.DModel));
        _feedForward = config.IsGatedAct
            ? new Mlp(Up("wi_1"), down, activation, gate: Up("wi_0"))
            : new Mlp(Up("wi"), down, activation);
    }

    /// <summary>Encoder block: x (B, S, C) with the relative bias + padding mask (B, H, S, S) → (B, S, C).</summary>
    public Tensor Encode(Tensor x, Tensor bias, bool outputAttentions, out Tensor? attention)
    {
        x += _selfAttention.SelfAttend(_selfNorm.Forward(x), bias, null, _layer, outputAttentions, out attention); // (B, S, C)
        return x + _feedForward.Forward(_feedForwardNorm.Forward(x)); // (B, S, C)
    }

    /// <summary>
    /// Decoder block: x (B, T, C) with <paramref name="selfBias"/> (relative bias + causal/padding mask, (B, H, T, S))
    /// and the cache of <paramref name="step"/>, attending to <paramref name="memory"/> (B, S_enc, C) under
    /// <paramref name="memoryMask"/> (B, 1, 1, S_enc) → (B, T, C).
    /// </summary>
    public Tensor Decode(Tensor x, Tensor selfBias, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache,
        out Tensor? selfAttention, out Tensor? crossAttention)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_crossAttention is null || _crossNorm is null)
        {
            throw new InvalidOperationException("T5: Decode called on an encoder block.");
        }

        x += _selfAttention.SelfAttend(_selfNorm.Forward(x), selfBias, step.Cache, _layer, step.OutputAttentions, out selfAttention); // (B, T, C)
        x += _crossAttention.CrossAttend(_crossNorm.Forward(x), memory, memoryMask, cache, _layer, step.OutputAttentions, out crossAttention); // (B, T, C)
        return x + _feedForward.Forward(_feedForwardNorm.Forward(x)); // (B, T, C)
    }

    private static Seq2SeqAttention Attention(Weights weights, T5Config config)
    {
        var inner = config.Heads * config.DKv;
        return new Seq2SeqAttention(
            new Linear(weights.Scope("q"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel * config.DKv)),
            new Linear(weights.Scope("k"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel)),
            new Linear(weights.Scope("v"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel)),
            new Linear(weights.Scope("o"), inner, config.DModel, bias: false, weightInit: config.NormalInit(inner)),
            config.Heads,
            scale: 1f);
    }
}
