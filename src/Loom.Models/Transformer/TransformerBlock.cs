// One Transformer block: self-attention, optional cross-attention over an encoder's output, feed-forward; each
// sub-layer is residual with the norm before it (pre-norm) or after the sum (post-norm, Vaswani et al. 2017), and its
// output passes dropout before the residual sum (§5.4) in training mode.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>An encoder block (no cross-attention) or a decoder block (with it).</summary>
public sealed class TransformerBlock
{
    private readonly bool _preNorm;
    private readonly (TransformerAttention Attention, TransformerNorm Norm) _self;
    private readonly (TransformerAttention Attention, TransformerNorm Norm)? _cross;
    private readonly (Mlp Mlp, TransformerNorm Norm) _feedForward;
    private readonly Dropout _residualDropout;

    /// <summary>Binds the block's parameters under <paramref name="weights"/>.</summary>
    public TransformerBlock(Weights weights, TransformerConfig config, bool crossAttention)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _preNorm = config.PreNorm;
        // Rotary and ALiBi relate positions within one sequence, so only self-attention uses them.
        var rotary = config.Positions == PositionKind.Rotary;
        _self = (new TransformerAttention(weights.Scope("self_attn"), config, rotary), new TransformerNorm(weights.Scope("self_attn_norm"), config.Norm, config.Channels));
        _cross = crossAttention
            ? (new TransformerAttention(weights.Scope("cross_attn"), config, rotary: false), new TransformerNorm(weights.Scope("cross_attn_norm"), config.Norm, config.Channels))
            : null;
        _feedForward = (FeedForward(weights.Scope("ffn"), config), new TransformerNorm(weights.Scope("ffn_norm"), config.Norm, config.Channels));
        _residualDropout = new Dropout(weights, config.Dropout);
    }

    /// <summary>
    /// x (B, T, C) → (B, T, C) as block <paramref name="layer"/> of its stack (its index in the step's caches).
    /// <paramref name="selfAttention"/> (B, H, T, S) and <paramref name="crossAttention"/> (B, H, T, S_enc) receive the
    /// probabilities when the step asks for them.
    /// </summary>
    public Tensor Forward(Tensor x, TransformerStep step, int layer, out Tensor? selfAttention, out Tensor? crossAttention)
    {
        ArgumentNullException.ThrowIfNull(step);
        Tensor? selfProbabilities = null, crossProbabilities = null;
        x = Residual(x, _self.Norm, h => _self.Attention.SelfAttend(h, step, layer, out selfProbabilities)); // (B, T, C)
        if (_cross is { } cross)
        {
            x = Residual(x, cross.Norm, h => cross.Attention.CrossAttend(h, step, layer, out crossProbabilities)); // (B, T, C)
        }

        (selfAttention, crossAttention) = (selfProbabilities, crossProbabilities);
        return Residual(x, _feedForward.Norm, _feedForward.Mlp.Forward); // (B, T, C)
    }

    private Tensor Residual(Tensor x, TransformerNorm norm, Func<Tensor, Tensor> sublayer) =>
        _preNorm ? x + _residualDropout.Forward(sublayer(norm.Forward(x))) : norm.Forward(x + _residualDropout.Forward(sublayer(x)));

    private static Mlp FeedForward(Weights weights, TransformerConfig config)
    {
        var (c, f) = (config.Channels, config.FeedForward);
        var up = new Linear(weights.Scope("up_proj"), c, f);
        var down = new Linear(weights.Scope("down_proj"), f, c);
        var dropout = new Dropout(weights, config.ActivationDropout);
        return config.FeedForwardActivation switch
        {
            FeedForwardKind.Relu => new Mlp(up, down, Activation.Relu, hiddenDropout: dropout),
            FeedForwardKind.Gelu => new Mlp(up, down, Activation.Gelu, hiddenDropout: dropout),
            FeedForwardKind.SwiGlu => new Mlp(up, down, Activation.Silu, new Linear(weights.Scope("gate_proj"), c, f), dropout),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.FeedForwardActivation, "Unknown feed-forward kind."),
        };
    }
}
