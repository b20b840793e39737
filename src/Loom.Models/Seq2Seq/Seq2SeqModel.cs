// The bare encoder-decoder Transformer (Vaswani et al. 2017; HF BartModel / T5Model): a shared token embedding, an
// encoder stack and a decoder stack, returning hidden states without a language-model head. The *ForConditionalGeneration
// models put their head on one of these.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Seq2Seq;

/// <summary>Shared embedding + encoder + decoder of one family, named <see cref="Architecture"/> in messages.</summary>
public class Seq2SeqModel
{
    private readonly Weights _weights;
    private readonly ISeq2SeqStack _encoder;
    private readonly ISeq2SeqStack _decoder;

    /// <summary>Joins the parts the family built under <paramref name="weights"/>.</summary>
    protected Seq2SeqModel(string architecture, Weights weights, Embedding shared, ISeq2SeqStack encoder, ISeq2SeqStack decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        (Architecture, _weights, Shared, _encoder, _decoder) = (architecture, weights, shared, encoder, decoder);
    }

    /// <summary>The HF class name this model answers to.</summary>
    public string Architecture { get; }

    /// <summary>The token embedding shared by both stacks (and by a tied head).</summary>
    public Embedding Shared { get; }

    /// <summary>Number of decoder layers (the cache size).</summary>
    public int DecoderLayerCount => _decoder.LayerCount;

    /// <summary>Every bound parameter with its checkpoint name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>Encoder: input_ids (B, S), attention_mask (B, S) or null → <see cref="EncoderOutput"/>.</summary>
    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask = null, bool outputAttentions = false, bool outputHiddenStates = false) =>
        _encoder.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);

    /// <summary>
    /// Decoder: ids (B, T) after the cached positions against <paramref name="encoderHiddenStates"/> (B, S, C) → the last
    /// decoder hidden state (B, T, C) and, on request, hidden states and attentions (encoder part left empty).
    /// </summary>
    public (Tensor Last, List<Tensor>? Hidden, List<Tensor>? SelfAttentions, List<Tensor>? CrossAttentions) Decode(IntTensor decoderInputIds,
        Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null, IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null,
        bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var (step, memoryMask) = Seq2SeqInputs.ForDecoder(Architecture, _decoder.LayerCount, decoderInputIds, encoderHiddenStates,
            encoderAttentionMask, decoderAttentionMask, cache, outputAttentions);
        return _decoder.Decode(decoderInputIds, step, encoderHiddenStates, memoryMask, cache, outputHiddenStates);
    }

    /// <summary>Encoder inputs (B, S) and decoder inputs (B, T) → <see cref="Seq2SeqModelOutput"/>.</summary>
    public Seq2SeqModelOutput Forward(IntTensor inputIds, IntTensor decoderInputIds, IntTensor? attentionMask = null, IntTensor? decoderAttentionMask = null,
        bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var encoded = Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);
        var (last, hidden, self, cross) = Decode(decoderInputIds, encoded.LastHiddenState, attentionMask, decoderAttentionMask, null, outputAttentions, outputHiddenStates);
        return new Seq2SeqModelOutput(encoded, last, hidden, self, cross);
    }
}
