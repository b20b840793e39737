// One Transformer block: self-attention, optional cross-attention over an encoder's output, feed-forward; each
// sub-layer is residual with the norm before it (pre-norm) or after the sum (post-norm, Vaswani et al. 2017).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>An encoder block (no cross-attention) or a decoder block (with it).</summary>
public sealed class TransformerBlock
{
    private readonly bool _preNorm;
    private readonly (MultiHeadAttention Attention, TransformerNorm Norm) _self;
    private readonly (MultiHeadAttention Attention, TransformerNorm Norm)? _cross;
    private readonly (Mlp Mlp, TransformerNorm Norm) _feedForward;

    /// <summary>Binds the block's parameters under <paramref name="weights"/>.</summary>
    public TransformerBlock(Weights weights, TransformerConfig config, bool crossAttention)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _preNorm = config.PreNorm;
        _self = (Attention(weights.Scope("self_attn"), config, positional: true), new TransformerNorm(weights.Scope("self_attn_norm"), config.Norm, config.Channels));
        _cross = crossAttention
            ? (Attention(weights.Scope("cross_attn"), config, positional: false), new TransformerNorm(weights.Scope("cross_attn_norm"), config.Norm, config.Channels))
            : null;
        _feedForward = (FeedForward(weights.Scope("ffn"), config), new TransformerNorm(weights.Scope("ffn_norm"), config.Norm, config.Channels));
    }

    /// <summary>
    /// x (B, T, C) → (B, T, C). <paramref name="selfMask"/> (B, 1, 1, T) hides padding; <paramref name="causal"/> hides
    /// future tokens; <paramref name="memory"/> (B, S, C) with <paramref name="memoryMask"/> (B, 1, 1, S) feeds the
    /// cross-attention.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? selfMask, bool causal, Tensor? memory = null, Tensor? memoryMask = null)
    {
        x = Residual(x, _self.Norm, h => _self.Attention.Forward(h, mask: selfMask, causal: causal)); // (B, T, C)
        if (_cross is { } cross)
        {
            x = Residual(x, cross.Norm, h => cross.Attention.Forward(h, context: memory, mask: memoryMask)); // (B, T, C)
        }

        return Residual(x, _feedForward.Norm, _feedForward.Mlp.Forward); // (B, T, C)
    }

    private Tensor Residual(Tensor x, TransformerNorm norm, Func<Tensor, Tensor> sublayer) =>
        _preNorm ? x + sublayer(norm.Forward(x)) : norm.Forward(x + sublayer(x));

    // Rotary and ALiBi relate positions within one sequence, so only self-attention uses them.
    private static MultiHeadAttention Attention(Weights weights, TransformerConfig config, bool positional)
    {
        var c = config.Channels;
        var rotary = positional && config.Positions == PositionKind.Rotary ? new RotaryEmbedding(config.HeadDim) : null;
        return new MultiHeadAttention(new Linear(weights.Scope("q_proj"), c, c), new Linear(weights.Scope("k_proj"), c, c),
            new Linear(weights.Scope("v_proj"), c, c), new Linear(weights.Scope("out_proj"), c, c), config.Heads, config.Heads,
            rotary, alibi: positional && config.Positions == PositionKind.Alibi);
    }

    private static Mlp FeedForward(Weights weights, TransformerConfig config)
    {
        var (c, f) = (config.Channels, config.FeedForward);
        var up = new Linear(weights.Scope("up_proj"), c, f);
        var down = new Linear(weights.Scope("down_proj"), f, c);
        return config.FeedForwardActivation switch
        {
            FeedForwardKind.Relu => new Mlp(up, down, Activation.Relu),
            FeedForwardKind.Gelu => new Mlp(up, down, Activation.Gelu),
            FeedForwardKind.SwiGlu => new Mlp(up, down, Activation.Silu, new Linear(weights.Scope("gate_proj"), c, f)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.FeedForwardActivation, "Unknown feed-forward kind."),
        };
    }
}
