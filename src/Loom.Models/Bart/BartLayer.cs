// One post-norm BART layer (Lewis et al. 2020, "BART: Denoising Sequence-to-Sequence Pre-training", §2.1 — the
// Vaswani et al. 2017 architecture with GELU; HF modeling_bart.BartEncoderLayer / BartDecoderLayer): each sub-layer is
// LayerNorm(x + sublayer(x)); decoder layers add masked self-attention's cache and encoder-decoder attention. In
// training mode attention_dropout acts on the attention probabilities, activation_dropout between fc1 and fc2, and
// dropout on each sub-layer output before the residual sum.
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary>Builds a post-norm <see cref="Seq2SeqLayer"/> from a BART checkpoint's <c>layers.i</c>.</summary>
public static class BartLayer
{
    /// <summary>Binds <c>self_attn</c>, <c>self_attn_layer_norm</c>, (<c>encoder_attn</c>, <c>encoder_attn_layer_norm</c>), <c>fc1</c>, <c>fc2</c>, <c>final_layer_norm</c>.</summary>
    public static Seq2SeqLayer Create(Weights weights, BartConfig config, int layer, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var heads = decoder ? config.DecoderHeads : config.EncoderHeads;
        var ffn = decoder ? config.DecoderFfnDim : config.EncoderFfnDim;
        var feedForward = new Mlp(config.Dense(weights.Scope("fc1"), config.DModel, ffn), config.Dense(weights.Scope("fc2"), ffn, config.DModel),
            Activations.FromHfName(config.ActivationFunction), hiddenDropout: new Dropout(weights, config.ActivationDropout));
        return new Seq2SeqLayer(layer, preNorm: false,
            Attention(weights.Scope("self_attn"), config, heads), new LayerNorm(weights.Scope("self_attn_layer_norm"), config.DModel).Forward,
            decoder ? Attention(weights.Scope("encoder_attn"), config, heads) : null,
            decoder ? new LayerNorm(weights.Scope("encoder_attn_layer_norm"), config.DModel).Forward : null,
            feedForward, new LayerNorm(weights.Scope("final_layer_norm"), config.DModel).Forward, new Dropout(weights, config.Dropout));
    }

    private static Seq2SeqAttention Attention(Weights weights, BartConfig config, int heads) => new(
        config.Dense(weights.Scope("q_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("k_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("v_proj"), config.DModel, config.DModel),
        config.Dense(weights.Scope("out_proj"), config.DModel, config.DModel),
        heads,
        1f / MathF.Sqrt(config.DModel / heads),
        new Dropout(weights, config.AttentionDropout));
}
