// One pre-norm T5 block (Raffel et al. 2020 §2.1; HF modeling_t5.T5Block): x + SelfAttention(norm(x)), in the decoder
// x + EncDecAttention(norm(x), encoder output), then x + DenseReluDense(norm(x)). Norms are RMS-style without bias or
// mean subtraction (T5LayerNorm); projections have no bias and scores are not scaled by 1/√D. The feed-forward is
// wo(relu(wi x)) or, gated (T5 v1.1), wo(act(wi_0 x) ⊙ wi_1 x). dropout_rate acts, in training mode, on the attention
// probabilities, the feed-forward activations before wo and each sub-layer output before the residual sum.
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary>Builds a pre-norm <see cref="Seq2SeqLayer"/> from <c>encoder.block.i</c> or <c>decoder.block.i</c>.</summary>
public static class T5Block
{
    /// <summary>Binds <c>layer.0</c> (self-attention), in the decoder <c>layer.1</c> (cross-attention), and the feed-forward layer.</summary>
    public static Seq2SeqLayer Create(Weights weights, T5Config config, int layer, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var layers = weights.Scope("layer");
        var dropout = new Dropout(weights, config.DropoutRate);
        var selfNorm = new RmsNorm(layers.Scope("0.layer_norm"), config.DModel, config.LayerNormEpsilon);
        var selfAttention = Attention(layers.Scope("0.SelfAttention"), config, dropout);
        var crossNorm = decoder ? new RmsNorm(layers.Scope("1.layer_norm"), config.DModel, config.LayerNormEpsilon) : null;
        var crossAttention = decoder ? Attention(layers.Scope("1.EncDecAttention"), config, dropout) : null;
        var ff = layers.Scope(decoder ? 2 : 1);
        var feedForwardNorm = new RmsNorm(ff.Scope("layer_norm"), config.DModel, config.LayerNormEpsilon);
        var dense = ff.Scope("DenseReluDense");
        var activation = Activations.FromHfName(config.DenseActFn);
        var down = new Linear(dense.Scope("wo"), config.DFf, config.DModel, bias: false, weightInit: config.NormalInit(config.DFf));
        Linear Up(string name) => new(dense.Scope(name), config.DModel, config.DFf, bias: false, weightInit: config.NormalInit(config.DModel));
        var feedForward = config.IsGatedAct
            ? new Mlp(Up("wi_1"), down, activation, gate: Up("wi_0"), hiddenDropout: dropout)
            : new Mlp(Up("wi"), down, activation, hiddenDropout: dropout);
        return new Seq2SeqLayer(layer, preNorm: true, selfAttention, selfNorm.Forward, crossAttention, crossNorm is null ? null : crossNorm.Forward,
            feedForward, feedForwardNorm.Forward, dropout);
    }

    private static Seq2SeqAttention Attention(Weights weights, T5Config config, Dropout dropout)
    {
        var inner = config.Heads * config.DKv;
        return new Seq2SeqAttention(
            new Linear(weights.Scope("q"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel * config.DKv)),
            new Linear(weights.Scope("k"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel)),
            new Linear(weights.Scope("v"), config.DModel, inner, bias: false, weightInit: config.NormalInit(config.DModel)),
            new Linear(weights.Scope("o"), inner, config.DModel, bias: false, weightInit: config.NormalInit(inner)),
            config.Heads,
            scale: 1f,
            dropout);
    }
}
