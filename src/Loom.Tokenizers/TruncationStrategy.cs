namespace Loom.Tokenizers;

/// <summary>How the tokens to remove are shared between the two sequences of a pair.</summary>
public enum TruncationStrategy
{
    /// <summary>Remove from the longer sequence first.</summary>
    LongestFirst,

    /// <summary>Remove only from the first sequence.</summary>
    OnlyFirst,

    /// <summary>Remove only from the second sequence.</summary>
    OnlySecond,
}
