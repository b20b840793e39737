// One LSTM seq2seq batch between decoding steps: the decoder state (encoder outputs, source padding, LSTM hidden and
// cell states) advanced by one token per row; beam search reorders its rows as it would a KV cache.
using Loom.Core;
using Loom.Models.Rnn;

namespace Loom.Generation;

/// <summary>The decoder side of an <see cref="RnnSeq2SeqModel"/> batch in flight.</summary>
internal sealed class RnnDecodingSession : IDecodingSession
{
    private readonly RnnSeq2SeqModel _model;
    private RnnDecoderState _state;

    /// <summary>Starts from <paramref name="state"/>, one row per session row.</summary>
    public RnnDecodingSession(RnnSeq2SeqModel model, RnnDecoderState state) => (_model, _state) = (model, state);

    /// <inheritdoc/>
    public float[] Step(IReadOnlyList<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count != _state.Batch)
        {
            throw new ArgumentException($"Decoding step: expected {_state.Batch} tokens (one per row); found {tokens.Count}.", nameof(tokens));
        }

        using var noGrad = Tensor.NoGrad();
        (var logits, _state) = _model.Decode(IntTensor.FromArray([.. tokens], tokens.Count, 1), _state); // (R, 1, V)
        return logits.ToArray();
    }

    /// <inheritdoc/>
    public void Reorder(IReadOnlyList<int> rows)
    {
        using var noGrad = Tensor.NoGrad();
        _state = _state.Select(rows);
    }
}
