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
    public Tensor Forward(IntTensor sourceIds, IntTensor sourceMask, IntTensor decoderInputIds) =>
        Decode(decoderInputIds, Encode(sourceIds, sourceMask)).Logits; // (B, T, V)

    /// <summary>Encodes source ids (B, S) with a right-padding mask (B, S) of 1/0 into the decoder's starting state.</summary>
    public RnnDecoderState Encode(IntTensor sourceIds, IntTensor sourceMask)
    {
        ArgumentNullException.ThrowIfNull(sourceMask);
        return new RnnDecoderState(_encoder.Forward(sourceIds, sourceMask), Padding(sourceMask), null, null); // (B, S, D·H), (B, 1, S)
    }

    /// <summary>
    /// Feeds decoder inputs (B, T) after the tokens already in <paramref name="state"/>: logits (B, T, V) and the state
    /// after them (incremental decoding, the LSTM state standing in for a KV cache).
    /// </summary>
    public (Tensor Logits, RnnDecoderState State) Decode(IntTensor decoderInputIds, RnnDecoderState state) =>
        _decoder.Forward(decoderInputIds, state);

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
        var state = Encode(sourceIds, sourceMask);
        var next = Enumerable.Repeat(Config.DecoderStartTokenId, sourceIds.Shape[0]).ToArray(); // (B)
        var output = new int[next.Length * length]; // row-major (B, length)
        for (var step = 0; step < length; step++)
        {
            (var logits, state) = Decode(IntTensor.FromArray(next, next.Length, 1), state); // (B, 1, V)
            next = logits.Squeeze(1).ArgMax(1).ToArray(); // (B)
            for (var row = 0; row < next.Length; row++)
            {
                output[(row * length) + step] = next[row];
            }
        }

        return IntTensor.FromArray(output, next.Length, length);
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
