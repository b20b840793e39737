// BERT encoder layer (Devlin et al. 2019; HF modeling_bert.BertLayer): post-norm self-attention and feed-forward,
// each followed by residual + LayerNorm.
using Loom.Core;

namespace Loom.Nn.Tests.Bert;

internal sealed class BertLayer
{
    private readonly MultiHeadAttention _attention;
    private readonly LayerNorm _attentionNorm;
    private readonly Mlp _mlp;
    private readonly LayerNorm _outputNorm;

    public BertLayer(Weights weights, BertConfig config)
    {
        var c = config.Channels;
        var self = weights.Scope("attention.self");
        _attention = new MultiHeadAttention(new Linear(self.Scope("query"), c, c), new Linear(self.Scope("key"), c, c),
            new Linear(self.Scope("value"), c, c), new Linear(weights.Scope("attention.output.dense"), c, c), config.Heads, config.Heads);
        _attentionNorm = new LayerNorm(weights.Scope("attention.output.LayerNorm"), c, config.LayerNormEps);
        _mlp = new Mlp(new Linear(weights.Scope("intermediate.dense"), c, config.Inner), new Linear(weights.Scope("output.dense"), config.Inner, c),
            Activations.FromHfName(config.HiddenAct));
        _outputNorm = new LayerNorm(weights.Scope("output.LayerNorm"), c, config.LayerNormEps);
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        x = _attentionNorm.Forward(x + _attention.Forward(x, mask: padding));
        return _outputNorm.Forward(x + _mlp.Forward(x));
    }
}
