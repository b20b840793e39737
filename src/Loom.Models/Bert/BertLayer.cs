// One post-norm BERT encoder layer (HF modeling_bert.BertLayer = BertAttention → BertIntermediate → BertOutput):
// h = LayerNorm(x + attn(x)); y = LayerNorm(h + W₂·act(W₁·h)), W₂'s output dropped out (hidden_dropout_prob) in training.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>Self-attention and feed-forward sub-layers of <c>encoder.layer.i</c>.</summary>
public sealed class BertLayer
{
    private readonly BertAttention _attention;
    private readonly Mlp _feedForward;
    private readonly LayerNorm _norm;
    private readonly Dropout _dropout;

    /// <summary>Binds <c>attention</c>, <c>intermediate.dense</c>, <c>output.dense</c> and <c>output.LayerNorm</c>.</summary>
    public BertLayer(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _attention = new BertAttention(weights.Scope("attention"), config);
        _feedForward = new Mlp(
            config.Dense(weights.Scope("intermediate.dense"), config.HiddenSize, config.IntermediateSize),
            config.Dense(weights.Scope("output.dense"), config.IntermediateSize, config.HiddenSize),
            Activations.FromHfName(config.HiddenAct));
        _norm = new LayerNorm(weights.Scope("output.LayerNorm"), config.HiddenSize, config.LayerNormEps);
        _dropout = new Dropout(weights, config.HiddenDropoutProb);
    }

    /// <summary>x (B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor mask, bool outputAttentions, out Tensor? probabilities)
    {
        var h = _attention.Forward(x, mask, outputAttentions, out probabilities); // (B, T, C)
        return _norm.Forward(_dropout.Forward(_feedForward.Forward(h)), h); // LayerNorm(dropout(ffn(h)) + h): (B, T, C)
    }
}
