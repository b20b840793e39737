// BERT multi-head self-attention with its output sub-layer (Vaswani et al. 2017 §3.2; HF modeling_bert.BertSelfAttention
// + BertSelfOutput, eager path): q/k/v projections, softmax(QKᵀ/√D + padding mask)·V, then dense and a post-norm
// residual LayerNorm(dense(ctx) + x). In training mode attention_probs_dropout_prob drops attention probabilities and
// hidden_dropout_prob the dense output.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>Self-attention block of one BERT layer (<c>attention.self</c> and <c>attention.output</c>).</summary>
public sealed class BertAttention
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _dense;
    private readonly LayerNorm _norm;
    private readonly int _heads;
    private readonly float _scale;
    private readonly Dropout _probabilityDropout;
    private readonly Dropout _outputDropout;

    /// <summary>Binds <c>self.{query,key,value}</c> and <c>output.{dense,LayerNorm}</c> under <paramref name="weights"/>.</summary>
    public BertAttention(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var self = weights.Scope("self");
        _query = config.Dense(self.Scope("query"), config.HiddenSize, config.HiddenSize);
        _key = config.Dense(self.Scope("key"), config.HiddenSize, config.HiddenSize);
        _value = config.Dense(self.Scope("value"), config.HiddenSize, config.HiddenSize);
        _dense = config.Dense(weights.Scope("output.dense"), config.HiddenSize, config.HiddenSize);
        _norm = new LayerNorm(weights.Scope("output.LayerNorm"), config.HiddenSize, config.LayerNormEps);
        _heads = config.Heads;
        _scale = 1f / MathF.Sqrt(config.HeadDim);
        _probabilityDropout = new Dropout(weights, config.AttentionProbsDropoutProb);
        _outputDropout = new Dropout(weights, config.HiddenDropoutProb);
    }

    /// <summary>x (B, T, C) and an additive mask broadcastable to (B, H, T, T) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor mask, bool outputAttentions, out Tensor? probabilities)
    {
        var q = AttentionHeads.Split(_query.Forward(x), _heads); // (B, H, T, D)
        var k = AttentionHeads.Split(_key.Forward(x), _heads); // (B, H, T, D)
        var v = AttentionHeads.Split(_value.Forward(x), _heads); // (B, H, T, D)
        var (context, p) = AttentionCore.Attend(q, k, v, mask, _scale, outputAttentions, _probabilityDropout); // (B, H, T, D)
        probabilities = p;
        return _norm.Forward(_outputDropout.Forward(_dense.Forward(AttentionHeads.Merge(context))), x); // LayerNorm(dropout(dense(ctx)) + x): (B, T, C)
    }
}
