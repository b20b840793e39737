// An encoder-decoder TransformerModel as an ISeq2SeqLm, the interface the generation layer drives: the encoder runs once,
// the decoder continues after the positions in its Seq2SeqCache (self-attention keys/values growing, cross-attention
// keys/values projected from the encoder output on the first step), as HF BartForConditionalGeneration with a cache.
using Loom.Core;
using Loom.Models.Seq2Seq;

namespace Loom.Models.Transformer;

/// <summary>The sequence-to-sequence view of a <see cref="TransformerKind.EncoderDecoder"/> <see cref="TransformerModel"/>.</summary>
public sealed class TransformerSeq2SeqLm : ISeq2SeqLm
{
    private readonly TransformerModel _model;

    /// <summary>Wraps <paramref name="model"/>, which must be an encoder-decoder.</summary>
    public TransformerSeq2SeqLm(TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.Kind != TransformerKind.EncoderDecoder)
        {
            throw new ArgumentException($"TransformerSeq2SeqLm: expected an encoder-decoder model; found {model.Config.Kind}.", nameof(model));
        }

        _model = model;
        TiedWeights = model.Config.TieEmbeddings
            ? new Dictionary<string, string> { ["lm_head.weight"] = "embed_tokens.weight" }
            : new Dictionary<string, string>();
    }

    /// <inheritdoc/>
    public string Architecture => "TransformerForConditionalGeneration";

    /// <inheritdoc/>
    public int DecoderLayerCount => _model.Decoder!.LayerCount;

    /// <inheritdoc/>
    public int VocabSize => _model.Config.VocabSize;

    /// <inheritdoc/>
    public int DecoderStartTokenId => _model.Config.DecoderStartTokenId;

    /// <inheritdoc/>
    public int PadTokenId => _model.Config.PadTokenId;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _model.Parameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <inheritdoc/>
    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask = null, bool outputAttentions = false, bool outputHiddenStates = false) =>
        _model.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);

    /// <inheritdoc/>
    public Seq2SeqDecoderOutput Decode(IntTensor decoderInputIds, Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null,
        IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var (step, memoryMask) = Seq2SeqInputs.ForDecoder(Architecture, DecoderLayerCount, decoderInputIds, encoderHiddenStates,
            encoderAttentionMask, decoderAttentionMask, cache, outputAttentions);
        var context = TransformerStep.Create(_model.Config, step.Mask, step.PositionIds, cache?.SelfAttention, encoderHiddenStates, memoryMask, cache, outputAttentions);
        var output = _model.Decoder!.Run(_model.Embed(decoderInputIds, step.PositionIds), context, outputHiddenStates); // (B, T, C)
        return new Seq2SeqDecoderOutput(_model.Logits(output.Last), output.Last, output.HiddenStates, output.SelfAttentions, output.CrossAttentions); // (B, T, V)
    }
}
