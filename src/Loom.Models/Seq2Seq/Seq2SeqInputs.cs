// Input checks shared by the encoder-decoder models (HF BartForConditionalGeneration / T5ForConditionalGeneration):
// ids must be (B, T) with T > 0, and the encoder attention_mask becomes an additive (B, 1, 1, S) padding mask.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Seq2Seq;

/// <summary>Shape checks and the padding mask for encoder-decoder inputs.</summary>
public static class Seq2SeqInputs
{
    /// <summary>(B, 1, 1, S) additive mask from attention_mask, or zeros when it is null.</summary>
    public static Tensor PaddingMask(IntTensor? attentionMask, int batch, int length)
    {
        if (attentionMask is null)
        {
            return Tensor.Zeros(1, 1, 1, length);
        }

        if (attentionMask.Rank != 2 || attentionMask.Shape[0] != batch || attentionMask.Shape[1] != length)
        {
            throw new TensorShapeException($"Encoder attention_mask: expected [{batch}, {length}]; found [{string.Join(", ", attentionMask.Shape)}].");
        }

        return AttentionMasks.Padding(attentionMask); // (B, 1, 1, S)
    }

    /// <summary>(B, T) of an ids tensor, checked.</summary>
    public static (int Batch, int Length) CheckIds(IntTensor ids, string name)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.Shape[1] == 0)
        {
            throw new TensorShapeException($"Expected {name} (B, T) with T > 0; found [{string.Join(", ", ids.Shape)}].");
        }

        return (ids.Shape[0], ids.Shape[1]);
    }
}
