// BERT next-sentence prediction (Devlin et al. 2019 §3.1 task 2; HF modeling_bert.BertForNextSentencePrediction): a
// two-way classifier cls.seq_relationship on the pooled [CLS] state (0 = B follows A, 1 = random).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForNextSentencePrediction (<c>bert.*</c> with pooler, <c>cls.seq_relationship.*</c>).</summary>
public sealed class BertForNextSentencePrediction
{
    private readonly Linear _seqRelationship;

    /// <summary>Binds the body under <c>bert</c> and <c>cls.seq_relationship</c> (C → 2).</summary>
    public BertForNextSentencePrediction(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: true);
        _seqRelationship = config.Dense(weights.Scope("cls.seq_relationship"), config.HiddenSize, 2);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>Logits (B, 2); with <paramref name="nextSentenceLabel"/> (B) the cross-entropy.</summary>
    public BertTaskOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? nextSentenceLabel = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var logits = _seqRelationship.Forward(encoded.PoolerOutput!); // (B, 2)
        return new BertTaskOutput(logits, nextSentenceLabel is null ? null : BertLosses.TokenCrossEntropy(logits, nextSentenceLabel), encoded);
    }
}
