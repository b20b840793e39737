// BERT sequence classification (Devlin et al. 2019 §4.1; HF modeling_bert.BertForSequenceClassification): a linear
// classifier on the pooled [CLS] state, with the loss chosen by problem_type (regression, single- or multi-label).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForSequenceClassification (<c>bert.*</c> with pooler, <c>classifier.*</c>).</summary>
public sealed class BertForSequenceClassification
{
    private readonly Linear _classifier;
    private readonly Dropout _dropout;

    /// <summary>Binds the body under <c>bert</c> and <c>classifier</c> (C → num_labels).</summary>
    public BertForSequenceClassification(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: true);
        _classifier = config.Dense(weights.Scope("classifier"), config.HiddenSize, config.NumLabels);
        _dropout = new Dropout(weights, config.ClassifierDropout ?? config.HiddenDropoutProb);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>
    /// Logits (B, num_labels). Labels: integer <paramref name="classIds"/> (B) or float <paramref name="targets"/> (B) /
    /// (B, num_labels); the problem type is the configured one or inferred from which kind was given.
    /// </summary>
    public BertTaskOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? classIds = null, Tensor? targets = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var logits = _classifier.Forward(_dropout.Forward(encoded.PoolerOutput!)); // (B, N)
        Tensor? loss = null;
        if (classIds is not null || targets is not null)
        {
            var problem = BertLosses.InferProblemType(Bert.Config.ProblemType, Bert.Config.NumLabels, integerLabels: classIds is not null);
            loss = BertLosses.SequenceClassification(logits, problem, classIds, targets);
        }

        return new BertTaskOutput(logits, loss, encoded);
    }
}
