using Loom.Core;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// An encoder-decoder language model (BART, T5) whose encoder runs once and whose decoder can be run incrementally
/// with a <see cref="Seq2SeqCache"/>.
/// </summary>
public interface ISeq2SeqLm
{
    /// <summary>The Hugging Face architecture name, e.g. <c>BartForConditionalGeneration</c>.</summary>
    string Architecture { get; }

    /// <summary>Decoder layers (the size of a <see cref="Seq2SeqCache"/> for this model).</summary>
    int DecoderLayerCount { get; }

    /// <summary>V.</summary>
    int VocabSize { get; }

    /// <summary>The first decoder token (HF decoder_start_token_id).</summary>
    int DecoderStartTokenId { get; }

    /// <summary>The padding id that replaces −100 when decoder inputs are derived from labels.</summary>
    int PadTokenId { get; }

    /// <summary>Every parameter with its checkpoint name (tied parameters appear once, under their source name).</summary>
    IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>State-dict keys that share another parameter and are absent from HF files.</summary>
    IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <summary>Encodes input_ids (B, S) with attention_mask (B, S) (default all ones).</summary>
    EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask = null, bool outputAttentions = false, bool outputHiddenStates = false);

    /// <summary>
    /// Decodes <paramref name="decoderInputIds"/> (B, T) against <paramref name="encoderHiddenStates"/> (B, S, C).
    /// <paramref name="decoderAttentionMask"/> (B, cached + T) defaults to all ones; with a <paramref name="cache"/>
    /// the new tokens take positions after the cached ones and the cache is extended.
    /// </summary>
    Seq2SeqDecoderOutput Decode(IntTensor decoderInputIds, Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null,
        IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null, bool outputAttentions = false, bool outputHiddenStates = false);
}
