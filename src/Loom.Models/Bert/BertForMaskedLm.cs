// BERT masked language model (Devlin et al. 2019 §3.1 task 1; HF modeling_bert.BertForMaskedLM): BERT without pooler,
// the tied prediction head, and cross-entropy over positions whose label is not −100.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForMaskedLM (<c>bert.*</c>, <c>cls.predictions.*</c>).</summary>
public sealed class BertForMaskedLm
{
    private readonly BertLmPredictionHead _head;
    private readonly Weights _weights;

    /// <summary>Binds the body under <c>bert</c> and the head under <c>cls.predictions</c>.</summary>
    public BertForMaskedLm(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = weights;
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: false);
        _head = new BertLmPredictionHead(weights.Scope("cls.predictions"), config, Bert.Embeddings.Words);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>Every parameter bound under the root this model was built on, by checkpoint name (tied weights once).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>Checkpoint keys HF leaves out of the file because they share another parameter.</summary>
    public static IReadOnlyDictionary<string, string> TiedWeights { get; } = BertLmPredictionHead.TiedKeys("bert.", "cls.predictions");

    /// <summary>Logits (B, T, V); with <paramref name="labels"/> (B, T), −100 ignored, the mean cross-entropy.</summary>
    public BertTaskOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var logits = _head.Forward(encoded.LastHiddenState); // (B, T, V)
        return new BertTaskOutput(logits, labels is null ? null : BertLosses.TokenCrossEntropy(logits, labels), encoded);
    }
}
