// An encoder-decoder model (BART, T5) as an IStepDecoder, as HF GenerationMixin.generate (v4.44) drives one: the
// encoder runs once per input (_prepare_encoder_decoder_kwargs_for_generation), its output is repeated for the beams
// of that input (_expand_inputs_for_generation), and every decoder row starts from decoder_start_token_id. The decoder
// then runs one token per row with a Seq2SeqCache (self-attention keys/values growing or preallocated,
// cross-attention keys/values projected on the first step and reused).
using Loom.Core;
using Loom.Models.Seq2Seq;

namespace Loom.Generation;

/// <summary>Drives an <see cref="ISeq2SeqLm"/> for the decoding strategies; prompts are encoder inputs.</summary>
public sealed class Seq2SeqStepDecoder : IStepDecoder
{
    private readonly ISeq2SeqLm _model;

    /// <summary>
    /// Wraps <paramref name="model"/>; decoder rows start from <paramref name="decoderStartTokenId"/> (default: the
    /// model's, from <c>config.json</c>).
    /// </summary>
    public Seq2SeqStepDecoder(ISeq2SeqLm model, int? decoderStartTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        DecoderStartTokenId = decoderStartTokenId ?? model.DecoderStartTokenId;
        if ((uint)DecoderStartTokenId >= (uint)model.VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(decoderStartTokenId), DecoderStartTokenId, $"{model.Architecture}: expected a decoder start token in [0, {model.VocabSize}).");
        }
    }

    /// <summary>The token every decoder row starts from.</summary>
    public int DecoderStartTokenId { get; }

    /// <inheritdoc/>
    public int VocabSize => _model.VocabSize;

    /// <inheritdoc/>
    public int[][] StartRows(PromptBatch prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return prompts.DecoderStartRows(DecoderStartTokenId);
    }

    /// <inheritdoc/>
    public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        for (var row = 0; row < prompts.Batch; row++)
        {
            var column = Array.FindIndex(prompts.Ids[row], id => (uint)id >= (uint)_model.VocabSize);
            if (column >= 0)
            {
                throw new ArgumentException($"{_model.Architecture}: encoder input row {row}, position {column}: expected a token id in [0, {_model.VocabSize}); found {prompts.Ids[row][column]} (is the tokenizer the model's?).", nameof(prompts));
            }
        }

        using var noGrad = Tensor.NoGrad();
        var mask = prompts.MaskTensor(); // (B, S)
        var memory = _model.Encode(prompts.IdsTensor(), mask).LastHiddenState; // (B, S, C)
        var inputOf = Enumerable.Range(0, prompts.Batch * copies).Select(r => r / copies).ToArray();
        if (copies > 1)
        {
            memory = memory.IndexSelect(0, IntTensor.FromArray(inputOf, inputOf.Length)); // (B·copies, S, C)
        }

        var session = new Seq2SeqDecodingSession(_model, memory, [.. inputOf.Select(i => prompts.Mask[i])], inputOf, cacheCapacity);
        var logits = session.Step([.. inputOf.Select(_ => DecoderStartTokenId)]);
        return (session, logits);
    }
}
