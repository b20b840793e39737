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
    /// Decodes inputs (B, T) after the tokens already in <paramref name="state"/> into logits (B, T, V) and the state
    /// after them. Without input feeding each step's attention reads only its own LSTM output, so feeding tokens one at
    /// a time gives the logits of feeding them at once.
    /// </summary>
    public (Tensor Logits, RnnDecoderState State) Forward(IntTensor decoderInputIds, RnnDecoderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var embedded = _embedding.Forward(decoderInputIds); // (B, T, E)
        var lstm = _lstm.Forward(embedded, lengths: null, state.Hidden, state.Cell); // output (B, T, H); states (L, B, H)
        var attended = _attention.Forward(lstm.Output, state.EncoderOutputs, state.SourcePadding); // (B, T, H)
        return (_output.Forward(attended), state with { Hidden = lstm.Hidden, Cell = lstm.Cell }); // (B, T, V)
    }
}
