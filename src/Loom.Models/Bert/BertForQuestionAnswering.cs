// BERT extractive question answering (Devlin et al. 2019 §4.2, SQuAD; HF modeling_bert.BertForQuestionAnswering):
// qa_outputs maps each token to (start, end) logits; the loss averages the start and end cross-entropies, positions
// clamped to [0, T] and T itself ignored (HF's ignored_index for answers outside the window).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BertForQuestionAnswering (<c>bert.*</c> without pooler, <c>qa_outputs.*</c>).</summary>
public sealed class BertForQuestionAnswering
{
    private readonly Linear _qaOutputs;

    /// <summary>Binds the body under <c>bert</c> and <c>qa_outputs</c> (C → 2).</summary>
    public BertForQuestionAnswering(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Bert = new BertModel(weights.Scope("bert"), config, addPoolingLayer: false);
        _qaOutputs = config.Dense(weights.Scope("qa_outputs"), config.HiddenSize, 2);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert { get; }

    /// <summary>Start/end logits (B, T); with both <paramref name="startPositions"/> and <paramref name="endPositions"/> (B), the loss.</summary>
    public BertQaOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        IntTensor? startPositions = null, IntTensor? endPositions = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Bert.Forward(inputIds, attentionMask, tokenTypeIds, outputAttentions, outputHiddenStates);
        var logits = _qaOutputs.Forward(encoded.LastHiddenState); // (B, T, 2)
        var (b, t) = (logits.Size(0), logits.Size(1));
        var start = logits.Narrow(2, 0, 1).Reshape(b, t); // (B, T)
        var end = logits.Narrow(2, 1, 1).Reshape(b, t); // (B, T)
        Tensor? loss = null;
        if (startPositions is not null && endPositions is not null)
        {
            var startLoss = Losses.CrossEntropy(start, Clamp(startPositions, b, t), ignoreIndex: t);
            var endLoss = Losses.CrossEntropy(end, Clamp(endPositions, b, t), ignoreIndex: t);
            loss = (startLoss + endLoss) * 0.5f;
        }

        return new BertQaOutput(start, end, loss, encoded);
    }

    private static IntTensor Clamp(IntTensor positions, int batch, int length)
    {
        if (positions.Count != batch)
        {
            throw new TensorShapeException($"BertForQuestionAnswering: expected one start/end position per row ({batch}); found [{string.Join(", ", positions.Shape)}].");
        }

        return IntTensor.FromArray([.. positions.ToArray().Select(p => Math.Clamp(p, 0, length))], batch);
    }
}
