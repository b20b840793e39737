// BERT multiple choice (Devlin et al. 2019 §4.4, SWAG; HF modeling_bert.BertForMultipleChoice): every (B, N) choice is
// encoded as its own sequence, a linear layer scores each pooled state, and the N scores are soft-maxed per example.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForMultipleChoice (<c>bert.*</c> with pooler, <c>classifier.*</c> C → 1).</summary>
public sealed class BertForMultipleChoice
{
    private readonly Linear _classifier;
    private readonly Dropout _dropout;

    /// <summary>Binds the body under <c>bert</c> and <c>classifier</c>.</summary>
    public BertForMultipleChoice(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: true);
        _classifier = config.Dense(weights.Scope("classifier"), config.HiddenSize, 1);
        _dropout = new Dropout(weights, config.HiddenDropoutProb);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>
    /// input_ids, attention_mask, token_type_ids (B, N, T) → logits (B, N); with <paramref name="labels"/> (B) the
    /// cross-entropy over the N choices. The encoder outputs are those of the flattened (B·N, T) batch.
    /// </summary>
    public BertTaskOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.Rank != 3)
        {
            throw new TensorShapeException($"BertForMultipleChoice: expected input_ids (B, N, T); found [{string.Join(", ", inputIds.Shape)}].");
        }

        int b = inputIds.Shape[0], n = inputIds.Shape[1], t = inputIds.Shape[2];
        var encoded = Bert.Forward(inputIds.Reshape(b * n, t), attentionMask?.Reshape(b * n, t), tokenTypeIds?.Reshape(b * n, t),
            outputAttentions, outputHiddenStates);
        var logits = _classifier.Forward(_dropout.Forward(encoded.PoolerOutput!)).Reshape(b, n); // (B·N, 1) → (B, N)
        return new BertTaskOutput(logits, labels is null ? null : BertLosses.TokenCrossEntropy(logits, labels), encoded);
    }
}
