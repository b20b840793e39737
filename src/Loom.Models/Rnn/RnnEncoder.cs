using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Rnn;

/// <summary>Source embedding followed by a (optionally bidirectional) multi-layer LSTM.</summary>
public sealed class RnnEncoder
{
    private readonly Embedding _embedding;
    private readonly Lstm _lstm;

    /// <summary>Binds <c>embedding.weight</c> and <c>lstm.*</c> (torch.nn.LSTM names) under <paramref name="weights"/>.</summary>
    public RnnEncoder(Weights weights, RnnSeq2SeqConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _embedding = new Embedding(weights.Scope("embedding"), config.SourceVocabSize, config.EmbeddingSize);
        _lstm = new Lstm(weights.Scope("lstm"), config.EmbeddingSize, config.HiddenSize, config.Layers, config.BidirectionalEncoder);
    }

    /// <summary>
    /// Encodes source ids (B, S) with a right-padding mask (B, S) of 1/0 into outputs (B, S, D·H), zero at padding;
    /// padded steps never reach the valid ones (the LSTM runs each row over its own length).
    /// </summary>
    public Tensor Forward(IntTensor sourceIds, IntTensor sourceMask)
    {
        var embedded = _embedding.Forward(sourceIds); // (B, S, E)
        return _lstm.Forward(embedded, sourceMask).Output; // (B, S, D·H)
    }
}
