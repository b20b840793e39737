using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Models.Seq2Seq;

/// <summary>An encoder or decoder stack of an encoder-decoder family (BartStack, T5Stack).</summary>
public interface ISeq2SeqStack
{
    /// <summary>Number of layers.</summary>
    int LayerCount { get; }

    /// <summary>Encoder: input_ids (B, S), attention_mask (B, S) or null → <see cref="EncoderOutput"/>.</summary>
    EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask, bool outputAttentions, bool outputHiddenStates);

    /// <summary>
    /// Decoder: ids (B, T) after the <paramref name="step"/>'s cached positions, against the encoder output
    /// (B, S_enc, C) → the last hidden state (B, T, C) and, on request, hidden states and attentions.
    /// </summary>
    (Tensor Last, List<Tensor>? Hidden, List<Tensor>? SelfAttentions, List<Tensor>? CrossAttentions) Decode(
        IntTensor inputIds, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache, bool outputHiddenStates);
}
