namespace Loom.Tokenizers;

/// <summary>What a split does with the delimiters it finds (Hugging Face tokenizers <c>SplitDelimiterBehavior</c>).</summary>
public enum SplitDelimiterBehavior
{
    /// <summary>Drop the delimiter.</summary>
    Removed,

    /// <summary>Keep the delimiter as its own piece.</summary>
    Isolated,

    /// <summary>Append the delimiter to the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>Prepend the delimiter to the piece after it.</summary>
    MergedWithNext,

    /// <summary>Join consecutive delimiters into one piece.</summary>
    Contiguous,
}
