using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Rnn;

/// <summary>
/// Target embedding, a multi-layer LSTM started from zeros, Luong "general" attention over the encoder outputs and
/// the output projection to the target vocabulary (no input feeding, so teacher forcing runs in one LSTM call).
/// </summary>
public sealed class RnnDecoder
{
    private readonly Embedding _embedding;
    private readonly Lstm _lstm;
    private readonly LuongGeneralAttention _attention;
    private readonly Linear _output;

    /// <summary>Binds <c>embedding</c>, <c>lstm</c>, <c>attention</c> and <c>output</c> under <paramref name="weights"/>.</summary>
    public RnnDecoder(Weights weights, RnnSeq2SeqConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _embedding = new Embedding(weights.Scope("embedding"), config.TargetVocabSize, config.EmbeddingSize);
        _lstm = new Lstm(weights.Scope("lstm"), config.EmbeddingSize, config.HiddenSize, config.Layers);
        _attention = new LuongGeneralAttention(weights.Scope("attention"), config.EncoderOutputSize, config.HiddenSize);
        _output = new Linear(weights.Scope("output"), config.HiddenSize, config.TargetVocabSize);
    }

    /// <summary>
    /// Decodes inputs (B, T) against encoder outputs (B, S, D·H) with source padding (B, 1, S) of 1 at padding into
    /// logits (B, T, V).
    /// </summary>
    public Tensor Forward(IntTensor decoderInputIds, Tensor encoderOutputs, Tensor sourcePadding)
    {
        var embedded = _embedding.Forward(decoderInputIds); // (B, T, E)
        var states = _lstm.Forward(embedded).Output; // (B, T, H)
        var attended = _attention.Forward(states, encoderOutputs, sourcePadding); // (B, T, H)
        return _output.Forward(attended); // (B, T, V)
    }
}
