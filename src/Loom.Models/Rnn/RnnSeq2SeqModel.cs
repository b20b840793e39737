// The classic attentional seq2seq baseline (Luong et al. 2015): LSTM encoder, LSTM decoder, "general" attention.
// Training follows the other seq2seq models: decoder inputs are the labels shifted right behind the start id
// (Seq2SeqLm.ShiftRight, −100 → pad) and the loss is the mean cross-entropy over labels that are not −100.
using Loom.Core;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Rnn;

/// <summary>An LSTM encoder-decoder with Luong "general" attention; parameters under <c>encoder.*</c> and <c>decoder.*</c>.</summary>
public sealed class RnnSeq2SeqModel
{
    private readonly Weights _weights;
    private readonly RnnEncoder _encoder;
    private readonly RnnDecoder _decoder;

    /// <summary>Builds the model from <paramref name="config"/>, binding parameters under <paramref name="weights"/>.</summary>
    public RnnSeq2SeqModel(Weights weights, RnnSeq2SeqConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _weights = weights;
        Config = config;
        _encoder = new RnnEncoder(weights.Scope("encoder"), config);
        _decoder = new RnnDecoder(weights.Scope("decoder"), config);
    }

    /// <summary>The sizes the model was built with.</summary>
    public RnnSeq2SeqConfig Config { get; }

    /// <summary>Every parameter with its full name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>
    /// Logits (B, T, V) for source ids (B, S) with a right-padding mask (B, S) of 1/0 and decoder inputs (B, T).
    /// </summary>
    public Tensor Forward(IntTensor sourceIds, IntTensor sourceMask, IntTensor decoderInputIds)
    {
        ArgumentNullException.ThrowIfNull(sourceMask);
        var encoded = _encoder.Forward(sourceIds, sourceMask); // (B, S, D·H)
        return _decoder.Forward(decoderInputIds, encoded, Padding(sourceMask)); // (B, T, V)
    }

    /// <summary>Teacher-forced logits and loss for <paramref name="labels"/> (B, T), decoder inputs = labels shifted right.</summary>
    public RnnSeq2SeqOutput ForwardWithLabels(IntTensor sourceIds, IntTensor sourceMask, IntTensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var logits = Forward(sourceIds, sourceMask, Seq2SeqLm.ShiftRight(labels, Config.DecoderStartTokenId, Config.PadTokenId)); // (B, T, V)
        var (b, t, v) = (logits.Size(0), logits.Size(1), logits.Size(2));
        return new RnnSeq2SeqOutput(logits, Losses.CrossEntropy(logits.Reshape(b * t, v), labels.Reshape(b * t))); // (B·T, V)
    }

    /// <summary>
    /// Greedy decoding: <paramref name="length"/> target ids (B, length) for each source row, each the arg-max of the
    /// logits given the start id and the ids chosen so far.
    /// </summary>
    public IntTensor Greedy(IntTensor sourceIds, IntTensor sourceMask, int length)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        using var noGrad = Tensor.NoGrad();
        var batch = sourceIds.Shape[0];
        var encoded = _encoder.Forward(sourceIds, sourceMask); // (B, S, D·H)
        var padding = Padding(sourceMask); // (B, 1, S)
        var inputs = new int[batch * (length + 1)]; // row-major (B, length + 1): start id, then the chosen ids
        for (var row = 0; row < batch; row++)
        {
            inputs[row * (length + 1)] = Config.DecoderStartTokenId;
        }

        for (var step = 0; step < length; step++)
        {
            var prefix = new int[batch * (step + 1)];
            for (var row = 0; row < batch; row++)
            {
                Array.Copy(inputs, row * (length + 1), prefix, row * (step + 1), step + 1);
            }

            var logits = _decoder.Forward(IntTensor.FromArray(prefix, batch, step + 1), encoded, padding); // (B, step + 1, V)
            var next = logits.Narrow(1, step, 1).Squeeze(1).ArgMax(1); // (B)
            for (var row = 0; row < batch; row++)
            {
                inputs[(row * (length + 1)) + step + 1] = next[row];
            }
        }

        var output = new int[batch * length];
        for (var row = 0; row < batch; row++)
        {
            Array.Copy(inputs, (row * (length + 1)) + 1, output, row * length, length);
        }

        return IntTensor.FromArray(output, batch, length);
    }

    private static Tensor Padding(IntTensor sourceMask)
    {
        var mask = sourceMask.ToArray();
        var padding = new float[mask.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            padding[i] = mask[i] == 0 ? 1f : 0f;
        }

        return Tensor.FromArray(padding, sourceMask.Shape[0], 1, sourceMask.Shape[1]); // (B, 1, S)
    }
}
