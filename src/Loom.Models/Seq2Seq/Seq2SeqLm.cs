// The full forward pass of an encoder-decoder LM as HF BartForConditionalGeneration / T5ForConditionalGeneration run it:
// encode, derive decoder inputs from the labels when none are given (shift right: start token in front, −100 → pad),
// decode, and the mean cross-entropy over labels that are not −100.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Seq2Seq;

/// <summary>Forward and label shifting shared by every <see cref="ISeq2SeqLm"/>.</summary>
public static class Seq2SeqLm
{
    /// <summary>
    /// Runs <paramref name="model"/> on encoder inputs (B, S) and decoder inputs (B, T) or, when those are null, on
    /// <paramref name="labels"/> (B, T) shifted right; adds the loss when labels are given.
    /// </summary>
    public static Seq2SeqLmOutput Forward(ISeq2SeqLm model, IntTensor inputIds, IntTensor? attentionMask = null,
        IntTensor? decoderInputIds = null, IntTensor? decoderAttentionMask = null, IntTensor? labels = null,
        bool outputAttentions = false, bool outputHiddenStates = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decoderIds = decoderInputIds
            ?? (labels is null
                ? throw new ArgumentException($"{model.Architecture}: expected decoder_input_ids or labels; found neither.", nameof(decoderInputIds))
                : ShiftRight(labels, model.DecoderStartTokenId, model.PadTokenId));
        var encoded = model.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);
        var decoded = model.Decode(decoderIds, encoded.LastHiddenState, attentionMask, decoderAttentionMask, null, outputAttentions, outputHiddenStates);
        Tensor? loss = null;
        if (labels is not null)
        {
            var (b, t, v) = (decoded.Logits.Size(0), decoded.Logits.Size(1), decoded.Logits.Size(2));
            if (labels.Rank != 2 || labels.Shape[0] != b || labels.Shape[1] != t)
            {
                throw new TensorShapeException($"{model.Architecture}: expected labels [{b}, {t}] like the decoder inputs; found [{string.Join(", ", labels.Shape)}].");
            }

            loss = Losses.CrossEntropy(decoded.Logits.Reshape(b * t, v), labels.Reshape(b * t)); // (B·T, V)
        }

        return new Seq2SeqLmOutput(encoded, decoded, decoderIds, loss);
    }

    /// <summary>HF shift_tokens_right / T5 _shift_right: (B, T) labels → [start, labels[:, :-1]] with −100 replaced by pad.</summary>
    public static IntTensor ShiftRight(IntTensor labels, int decoderStartTokenId, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Rank != 2)
        {
            throw new TensorShapeException($"ShiftRight: expected labels (B, T); found [{string.Join(", ", labels.Shape)}].");
        }

        var (b, t) = (labels.Shape[0], labels.Shape[1]);
        var source = labels.ToArray();
        var shifted = new int[b * t];
        for (var row = 0; row < b; row++)
        {
            shifted[row * t] = decoderStartTokenId;
            for (var i = 1; i < t; i++)
            {
                var label = source[(row * t) + i - 1];
                shifted[(row * t) + i] = label == -100 ? padTokenId : label;
            }
        }

        return IntTensor.FromArray(shifted, b, t);
    }
}
