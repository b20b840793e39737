// Pre-norm LLaMA decoder layer (HF modeling_llama.LlamaDecoderLayer): x + attn(rmsnorm(x)), then + SwiGLU MLP
// down(silu(gate(h)) ⊙ up(h)) of rmsnorm(x) (Shazeer 2020, "GLU Variants Improve Transformer").
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Llama;

/// <summary>One LLaMA / Qwen2 decoder layer.</summary>
public sealed class LlamaBlock : IDecoderBlock
{
    private readonly RmsNorm _inputNorm;
    private readonly LlamaAttention _attention;
    private readonly RmsNorm _postAttentionNorm;
    private readonly Mlp _mlp;

    /// <summary>Binds layer <paramref name="layer"/> under <paramref name="weights"/> (<c>model.layers.i</c>).</summary>
    public LlamaBlock(Weights weights, LlamaConfig config, int layer, RotaryPositions rotary)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        int c = config.HiddenSize, f = config.IntermediateSize;
        _inputNorm = new RmsNorm(weights.Scope("input_layernorm"), c, config.RmsNormEps);
        _attention = new LlamaAttention(weights.Scope("self_attn"), config, layer, rotary);
        _postAttentionNorm = new RmsNorm(weights.Scope("post_attention_layernorm"), c, config.RmsNormEps);
        var mlp = weights.Scope("mlp");
        _mlp = new Mlp(
            new Linear(mlp.Scope("up_proj"), c, f, config.MlpBias),
            new Linear(mlp.Scope("down_proj"), f, c, config.MlpBias),
            Activations.FromHfName(config.HiddenAct),
            new Linear(mlp.Scope("gate_proj"), c, f, config.MlpBias));
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? attention)
    {
        x += _attention.Forward(_inputNorm.Forward(x), step, out attention); // (B, T, C)
        return x + _mlp.Forward(_postAttentionNorm.Forward(x)); // (B, T, C)
    }
}
