// BERT token classification (Devlin et al. 2019 §5.3, NER; HF modeling_bert.BertForTokenClassification): a linear
// classifier on every token's final state, cross-entropy with −100 ignored.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForTokenClassification (<c>bert.*</c> without pooler, <c>classifier.*</c>).</summary>
public sealed class BertForTokenClassification
{
    private readonly Linear _classifier;
    private readonly Dropout _dropout;

    /// <summary>Binds the body under <c>bert</c> and <c>classifier</c> (C → num_labels).</summary>
    public BertForTokenClassification(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: false);
        _classifier = config.Dense(weights.Scope("classifier"), config.HiddenSize, config.NumLabels);
        _dropout = new Dropout(weights, config.ClassifierDropout ?? config.HiddenDropoutProb);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>Logits (B, T, num_labels); with <paramref name="labels"/> (B, T), −100 ignored, the mean cross-entropy.</summary>
    public BertTaskOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var logits = _classifier.Forward(_dropout.Forward(encoded.LastHiddenState)); // (B, T, N)
        return new BertTaskOutput(logits, labels is null ? null : BertLosses.TokenCrossEntropy(logits, labels), encoded);
    }
}
