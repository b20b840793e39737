// BLOOM block (HF modeling_bloom.BloomBlock): LayerNorm → attention → residual, LayerNorm → MLP
// dense_4h_to_h(gelu_tanh(dense_h_to_4h(·))) → residual; the residual is the raw input unless
// apply_residual_connection_post_layernorm.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Bloom;

/// <summary>One BLOOM transformer block.</summary>
public sealed class BloomBlock : IDecoderBlock
{
    private readonly BloomConfig _config;
    private readonly LayerNorm _inputNorm;
    private readonly BloomAttention _attention;
    private readonly LayerNorm _postAttentionNorm;
    private readonly Mlp _mlp;

    /// <summary>Binds block <paramref name="layer"/> under <paramref name="weights"/> (<c>transformer.h.i</c>).</summary>
    public BloomBlock(Weights weights, BloomConfig config, int layer)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        int c = config.HiddenSize;
        _inputNorm = new LayerNorm(weights.Scope("input_layernorm"), c, config.LayerNormEps);
        _attention = new BloomAttention(weights.Scope("self_attention"), config, layer);
        _postAttentionNorm = new LayerNorm(weights.Scope("post_attention_layernorm"), c, config.LayerNormEps);
        _mlp = new Mlp(
            new Linear(weights.Scope("mlp.dense_h_to_4h"), c, 4 * c),
            new Linear(weights.Scope("mlp.dense_4h_to_h"), 4 * c, c),
            Activation.GeluTanh);
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? attention)
    {
        var normed = _inputNorm.Forward(x); // (B, T, C)
        var attended = _attention.Forward(normed, step, out attention) + (_config.ResidualFromNormedInput ? normed : x); // (B, T, C)
        var normed2 = _postAttentionNorm.Forward(attended); // (B, T, C)
        return _mlp.Forward(normed2) + (_config.ResidualFromNormedInput ? normed2 : attended); // (B, T, C)
    }
}
