// BERT pre-training heads (Devlin et al. 2019 §3.1: masked LM + next-sentence prediction; HF
// modeling_bert.BertForPreTraining / BertPreTrainingHeads): total loss = MLM cross-entropy + NSP cross-entropy.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForPreTraining (<c>bert.*</c> with pooler, <c>cls.predictions.*</c>, <c>cls.seq_relationship.*</c>).</summary>
public sealed class BertForPreTraining
{
    private readonly BertLmPredictionHead _predictions;
    private readonly Linear _seqRelationship;

    /// <summary>Binds the body under <c>bert</c> and both heads under <c>cls</c>.</summary>
    public BertForPreTraining(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: true);
        _predictions = new BertLmPredictionHead(weights.Scope("cls.predictions"), config, Bert.Embeddings.Words);
        _seqRelationship = config.Dense(weights.Scope("cls.seq_relationship"), config.HiddenSize, 2);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>Checkpoint keys HF leaves out of the file because they share another parameter.</summary>
    public static IReadOnlyDictionary<string, string> TiedWeights { get; } = BertLmPredictionHead.TiedKeys("bert.", "cls.predictions");

    /// <summary>
    /// MLM logits (B, T, V) and NSP logits (B, 2); the loss (MLM + NSP, as HF) when both <paramref name="labels"/>
    /// (B, T) and <paramref name="nextSentenceLabel"/> (B) are given.
    /// </summary>
    public BertPreTrainingOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? labels = null, IntTensor? nextSentenceLabel = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var predictionLogits = _predictions.Forward(encoded.LastHiddenState); // (B, T, V)
        var seqLogits = _seqRelationship.Forward(encoded.PoolerOutput!); // (B, 2)
        Tensor? loss = null;
        if (labels is not null && nextSentenceLabel is not null)
        {
            loss = BertLosses.TokenCrossEntropy(predictionLogits, labels) + BertLosses.TokenCrossEntropy(seqLogits, nextSentenceLabel);
        }

        return new BertPreTrainingOutput(predictionLogits, seqLogits, loss, encoded);
    }
}
