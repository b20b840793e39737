// Choosing the IStepDecoder for a Hugging Face folder, as transformers' generate() behaves differently for
// config.is_encoder_decoder models: BART / T5 go through Seq2SeqStepDecoder, every decoder-only family through
// CausalStepDecoder.
using Loom.Models.Auto;

namespace Loom.Generation;

/// <summary>Loads the decoding side of a model folder.</summary>
public static class StepDecoders
{
    /// <summary>
    /// Loads <paramref name="dir"/> as an encoder-decoder or decoder-only model; an encoder-decoder model's rows start
    /// from <paramref name="decoderStartTokenId"/> (default: <c>decoder_start_token_id</c> of the model's config).
    /// </summary>
    public static IStepDecoder Load(string dir, int? decoderStartTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        return AutoConfig.Load(dir).IsEncoderDecoder
            ? new Seq2SeqStepDecoder(AutoModel.LoadSeq2SeqLm(dir), decoderStartTokenId)
            : new CausalStepDecoder(AutoModel.LoadCausalLm(dir));
    }
}
