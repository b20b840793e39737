// LLaMA decoder layer (Touvron et al. 2023; HF modeling_llama.LlamaDecoderLayer): RMSNorm → grouped-query attention
// with rotary positions → residual, RMSNorm → SwiGLU MLP → residual. Projections have no biases.
using Loom.Core;

namespace Loom.Nn.Tests.Llama;

internal sealed class LlamaBlock
{
    private readonly RmsNorm _inputNorm;
    private readonly MultiHeadAttention _attention;
    private readonly RmsNorm _postAttentionNorm;
    private readonly Mlp _mlp;

    public LlamaBlock(Weights weights, LlamaConfig config)
    {
        var (c, h, kvh) = (config.Channels, config.Heads, config.KvHeads ?? config.Heads);
        var d = c / h;
        var attention = weights.Scope("self_attn");
        _inputNorm = new RmsNorm(weights.Scope("input_layernorm"), c, config.RmsNormEps);
        _attention = new MultiHeadAttention(
            new Linear(attention.Scope("q_proj"), c, h * d, bias: false),
            new Linear(attention.Scope("k_proj"), c, kvh * d, bias: false),
            new Linear(attention.Scope("v_proj"), c, kvh * d, bias: false),
            new Linear(attention.Scope("o_proj"), h * d, c, bias: false),
            h, kvh, new RotaryEmbedding(d, config.RopeTheta));
        _postAttentionNorm = new RmsNorm(weights.Scope("post_attention_layernorm"), c, config.RmsNormEps);
        var mlp = weights.Scope("mlp");
        _mlp = new Mlp(
            new Linear(mlp.Scope("up_proj"), c, config.Inner, bias: false),
            new Linear(mlp.Scope("down_proj"), config.Inner, c, bias: false),
            Activations.FromHfName(config.HiddenAct),
            gate: new Linear(mlp.Scope("gate_proj"), c, config.Inner, bias: false));
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        x += _attention.Forward(_inputNorm.Forward(x), mask: padding, causal: true);
        return x + _mlp.Forward(_postAttentionNorm.Forward(x));
    }
}
