// Configuration of the from-scratch Transformer: the 2017 encoder-decoder (Vaswani et al.) and its decoder-only and
// encoder-only descendants, with the common choices of position scheme, norm, norm placement and feed-forward.
namespace Loom.Models.Transformer;

/// <summary>Sizes and architectural choices of a <see cref="TransformerModel"/>.</summary>
public sealed record TransformerConfig
{
    /// <summary>Which stacks exist.</summary>
    public TransformerKind Kind { get; init; } = TransformerKind.DecoderOnly;

    /// <summary>Blocks per stack.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>C.</summary>
    public int Channels { get; init; } = 64;

    /// <summary>H; must divide C.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>F, the feed-forward width.</summary>
    public int FeedForward { get; init; } = 256;

    /// <summary>V.</summary>
    public int VocabSize { get; init; } = 256;

    /// <summary>Longest sequence (size of a learned position table).</summary>
    public int MaxPositions { get; init; } = 512;

    /// <summary>Position scheme.</summary>
    public PositionKind Positions { get; init; } = PositionKind.Sinusoidal;

    /// <summary>Norm layer.</summary>
    public NormKind Norm { get; init; } = NormKind.LayerNorm;

    /// <summary>True: x + f(norm(x)) and a final norm; false (2017): norm(x + f(x)).</summary>
    public bool PreNorm { get; init; } = true;

    /// <summary>Feed-forward non-linearity.</summary>
    public FeedForwardKind FeedForwardActivation { get; init; } = FeedForwardKind.Gelu;

    /// <summary>
    /// Dropout on the summed token + position embeddings and on every sub-layer output before its residual sum
    /// (Vaswani et al. 2017 §5.4, P_drop; fairseq <c>dropout</c>). Training mode only; 0 by default.
    /// </summary>
    public float Dropout { get; init; }

    /// <summary>Dropout on the attention probabilities (fairseq <c>attention_dropout</c>). Training mode only; 0 by default.</summary>
    public float AttentionDropout { get; init; }

    /// <summary>Dropout on the F-wide feed-forward activations (fairseq <c>activation_dropout</c>). Training mode only; 0 by default.</summary>
    public float ActivationDropout { get; init; }

    /// <summary>Output head shares the token embedding.</summary>
    public bool TieEmbeddings { get; init; } = true;

    /// <summary>First decoder input of an encoder-decoder when inputs come from labels.</summary>
    public int DecoderStartTokenId { get; init; }

    /// <summary>Replaces −100 in shifted labels.</summary>
    public int PadTokenId { get; init; }

    /// <summary>D = C / H.</summary>
    public int HeadDim => Channels / Heads;
}
