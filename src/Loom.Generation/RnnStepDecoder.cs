// The LSTM seq2seq baseline as an IStepDecoder, driven like an encoder-decoder Transformer (Seq2SeqStepDecoder): the
// encoder runs once per input, its outputs are repeated for the beams of that input, every decoder row starts from the
// decoder start id, and the LSTM's hidden and cell states take the place of the KV cache between steps.
using Loom.Core;
using Loom.Models.Rnn;

namespace Loom.Generation;

/// <summary>Drives an <see cref="RnnSeq2SeqModel"/> for the decoding strategies; prompts are (right-padded) source rows.</summary>
public sealed class RnnStepDecoder : IStepDecoder
{
    private readonly RnnSeq2SeqModel _model;

    /// <summary>Wraps <paramref name="model"/>; decoder rows start from <paramref name="decoderStartTokenId"/> (default: the config's).</summary>
    public RnnStepDecoder(RnnSeq2SeqModel model, int? decoderStartTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        DecoderStartTokenId = decoderStartTokenId ?? model.Config.DecoderStartTokenId;
        if ((uint)DecoderStartTokenId >= (uint)VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(decoderStartTokenId), DecoderStartTokenId, $"RNN seq2seq: expected a decoder start token in [0, {VocabSize}).");
        }
    }

    /// <summary>The token every decoder row starts from.</summary>
    public int DecoderStartTokenId { get; }

    /// <inheritdoc/>
    public int VocabSize => _model.Config.TargetVocabSize;

    /// <inheritdoc/>
    public int[][] StartRows(PromptBatch prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return prompts.DecoderStartRows(DecoderStartTokenId);
    }

    /// <summary>
    /// As <see cref="IStepDecoder.Begin"/>; <paramref name="cacheCapacity"/> is accepted and unused, since the LSTM state
    /// that stands in for the KV cache has a fixed size.
    /// </summary>
    public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        using var noGrad = Tensor.NoGrad();
        var state = _model.Encode(prompts.IdsTensor(), prompts.MaskTensor()); // (B, S, D·H)
        var session = new RnnDecodingSession(_model, state.Select([.. Enumerable.Range(0, prompts.Batch * copies).Select(r => r / copies)]));
        return (session, session.Step([.. Enumerable.Repeat(DecoderStartTokenId, prompts.Batch * copies)]));
    }
}
