namespace Loom.Models.Rnn;

/// <summary>
/// Sizes of <see cref="RnnSeq2SeqModel"/>: an LSTM encoder-decoder with Luong "general" attention (Luong, Pham &amp;
/// Manning 2015, "Effective Approaches to Attention-based Neural Machine Translation", §3.1, score = h_tᵀ W_a h̄_s).
/// </summary>
public sealed record RnnSeq2SeqConfig
{
    /// <summary>V_src: source vocabulary size.</summary>
    public int SourceVocabSize { get; init; }

    /// <summary>V: target vocabulary size (width of the logits).</summary>
    public int TargetVocabSize { get; init; }

    /// <summary>E: embedding width of source and target tokens.</summary>
    public int EmbeddingSize { get; init; } = 32;

    /// <summary>H: hidden width of each LSTM direction.</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>L: stacked LSTM layers in the encoder and in the decoder.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>True for a bidirectional encoder (its outputs are then 2·H wide).</summary>
    public bool BidirectionalEncoder { get; init; }

    /// <summary>Id placed in front of the shifted labels as the first decoder input.</summary>
    public int DecoderStartTokenId { get; init; }

    /// <summary>Id that replaces −100 in the shifted decoder inputs.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Width of the encoder outputs: D·H.</summary>
    public int EncoderOutputSize => (BidirectionalEncoder ? 2 : 1) * HiddenSize;
}
