// Input checks shared by the encoder-decoder models (HF BartForConditionalGeneration / T5ForConditionalGeneration):
// ids must be (B, T) with T > 0, the encoder attention_mask becomes an additive (B, 1, 1, S) padding mask, and the
// decoder step continues after the positions already in the cache.
using Loom.Core;
using Loom.Models.Decoding;
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

    /// <summary>
    /// Checks the decoder inputs of <see cref="ISeq2SeqLm.Decode"/> for a decoder of <paramref name="decoderLayers"/>
    /// layers and returns its <see cref="DecoderStep"/> (positions after the cached ones) and the encoder padding mask
    /// (B, 1, 1, S).
    /// </summary>
    public static (DecoderStep Step, Tensor MemoryMask) ForDecoder(string architecture, int decoderLayers, IntTensor decoderInputIds,
        Tensor encoderHiddenStates, IntTensor? encoderAttentionMask, IntTensor? decoderAttentionMask, Seq2SeqCache? cache, bool outputAttentions)
    {
        ArgumentNullException.ThrowIfNull(encoderHiddenStates);
        var (b, _) = CheckIds(decoderInputIds, "decoder_input_ids");
        if (cache is not null && cache.Layers != decoderLayers)
        {
            throw new ArgumentException($"Seq2SeqCache has {cache.Layers} layers; the {architecture} decoder has {decoderLayers}.", nameof(cache));
        }

        var step = DecoderStep.Create(decoderInputIds, decoderAttentionMask, null, cache?.SelfAttention, outputAttentions);
        return (step, PaddingMask(encoderAttentionMask, b, encoderHiddenStates.Size(1))); // (B, 1, 1, S)
    }
}
