// What an LSTM seq2seq decoder carries between decoding steps, its equivalent of a KV cache: the encoder outputs and
// source padding it attends to and the LSTM's hidden and cell states after the tokens fed so far.
using Loom.Core;

namespace Loom.Models.Rnn;

/// <summary>
/// Encoder outputs (B, S, D·H), source padding (B, 1, S) of 1 at padded steps, and the decoder LSTM's (L, B, H) hidden
/// and cell states (null before the first token: zeros).
/// </summary>
public sealed record RnnDecoderState(Tensor EncoderOutputs, Tensor SourcePadding, Tensor? Hidden, Tensor? Cell)
{
    /// <summary>B.</summary>
    public int Batch => EncoderOutputs.Size(0);

    /// <summary>The state whose row i is row <paramref name="rows"/>[i] of this one (beam reordering, copies per input).</summary>
    public RnnDecoderState Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var column = rows.FirstOrDefault(r => (uint)r >= (uint)Batch, -1);
        if (column >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), column, $"RnnDecoderState: expected rows in [0, {Batch}).");
        }

        var index = IntTensor.FromArray([.. rows], rows.Count);
        return new RnnDecoderState(EncoderOutputs.IndexSelect(0, index), SourcePadding.IndexSelect(0, index), // (R, S, D·H), (R, 1, S)
            Hidden?.IndexSelect(1, index), Cell?.IndexSelect(1, index)); // (L, R, H)
    }
}
