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

    /// <summary>Output head shares the token embedding.</summary>
    public bool TieEmbeddings { get; init; } = true;

    /// <summary>First decoder input of an encoder-decoder when inputs come from labels.</summary>
    public int DecoderStartTokenId { get; init; }

    /// <summary>Replaces −100 in shifted labels.</summary>
    public int PadTokenId { get; init; }

    /// <summary>D = C / H.</summary>
    public int HeadDim => Channels / Heads;
}
