// One encoder or decoder layer of the Vaswani et al. 2017 encoder-decoder (as HF BartEncoderLayer / BartDecoderLayer
// and T5Block run it): self-attention, in the decoder encoder-decoder attention, then the feed-forward network, each
// a residual sub-layer. BART normalises after the residual sum (post-norm: norm(x + f(x))), T5 before the sub-layer
// (pre-norm: x + f(norm(x))); the families differ otherwise only in how they build the parts (BartLayer, T5Block).
// In training mode each sub-layer output f(·) passes through the residual dropout before the sum.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Seq2Seq;

/// <summary>An encoder layer (self-attention, feed-forward) or a decoder layer (+ cross-attention).</summary>
public sealed class Seq2SeqLayer
{
    private readonly int _layer;
    private readonly bool _preNorm;
    private readonly Seq2SeqAttention _selfAttention;
    private readonly Func<Tensor, Tensor> _selfNorm;
    private readonly Seq2SeqAttention? _crossAttention;
    private readonly Func<Tensor, Tensor>? _crossNorm;
    private readonly Mlp _feedForward;
    private readonly Func<Tensor, Tensor> _feedForwardNorm;
    private readonly Dropout? _residualDropout;

    /// <summary>
    /// Joins the parts of layer <paramref name="layer"/>; <paramref name="crossAttention"/> and
    /// <paramref name="crossNorm"/> are given for a decoder layer only; <paramref name="residualDropout"/> acts on each
    /// sub-layer output.
    /// </summary>
    public Seq2SeqLayer(int layer, bool preNorm, Seq2SeqAttention selfAttention, Func<Tensor, Tensor> selfNorm,
        Seq2SeqAttention? crossAttention, Func<Tensor, Tensor>? crossNorm, Mlp feedForward, Func<Tensor, Tensor> feedForwardNorm,
        Dropout? residualDropout = null)
    {
        ArgumentNullException.ThrowIfNull(selfAttention);
        ArgumentNullException.ThrowIfNull(selfNorm);
        ArgumentNullException.ThrowIfNull(feedForward);
        ArgumentNullException.ThrowIfNull(feedForwardNorm);
        if ((crossAttention is null) != (crossNorm is null))
        {
            throw new ArgumentException("Seq2SeqLayer: expected both cross-attention and its norm (decoder) or neither (encoder).", nameof(crossNorm));
        }

        (_layer, _preNorm, _selfAttention, _selfNorm, _crossAttention, _crossNorm, _feedForward, _feedForwardNorm) =
            (layer, preNorm, selfAttention, selfNorm, crossAttention, crossNorm, feedForward, feedForwardNorm);
        _residualDropout = residualDropout;
    }

    /// <summary>Encoder layer: x (B, S, C) with <paramref name="bias"/> broadcastable to (B, H, S, S) → (B, S, C).</summary>
    public Tensor Encode(Tensor x, Tensor bias, bool outputAttentions, out Tensor? attention)
    {
        Tensor? probabilities = null;
        x = Residual(x, _selfNorm, h => _selfAttention.SelfAttend(h, bias, null, _layer, outputAttentions, out probabilities)); // (B, S, C)
        attention = probabilities;
        return Residual(x, _feedForwardNorm, _feedForward.Forward); // (B, S, C)
    }

    /// <summary>
    /// Decoder layer: x (B, T, C) with <paramref name="selfBias"/> (causal + padding mask, plus T5's relative bias;
    /// broadcastable to (B, H, T, S)) and the cache of <paramref name="step"/>, attending to <paramref name="memory"/>
    /// (B, S_enc, C) under <paramref name="memoryMask"/> (B, 1, 1, S_enc) → (B, T, C).
    /// </summary>
    public Tensor Decode(Tensor x, Tensor selfBias, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache,
        out Tensor? selfAttention, out Tensor? crossAttention)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_crossAttention is null || _crossNorm is null)
        {
            throw new InvalidOperationException($"Seq2SeqLayer {_layer}: Decode called on an encoder layer.");
        }

        Tensor? self = null;
        Tensor? cross = null;
        x = Residual(x, _selfNorm, h => _selfAttention.SelfAttend(h, selfBias, step.Cache, _layer, step.OutputAttentions, out self)); // (B, T, C)
        x = Residual(x, _crossNorm, h => _crossAttention.CrossAttend(h, memory, memoryMask, cache, _layer, step.OutputAttentions, out cross)); // (B, T, C)
        (selfAttention, crossAttention) = (self, cross);
        return Residual(x, _feedForwardNorm, _feedForward.Forward); // (B, T, C)
    }

    private Tensor Residual(Tensor x, Func<Tensor, Tensor> norm, Func<Tensor, Tensor> sublayer) =>
        _preNorm ? x + Drop(sublayer(norm(x))) : norm(x + Drop(sublayer(x)));

    private Tensor Drop(Tensor x) => _residualDropout?.Forward(x) ?? x;
}
