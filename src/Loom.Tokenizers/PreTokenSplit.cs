namespace Loom.Tokenizers;

/// <summary>One piece of a pre-tokenized string: its normalized text and, once tokenized, its tokens.</summary>
public sealed class PreTokenSplit
{
    /// <summary>Creates a split.</summary>
    public PreTokenSplit(NormalizedString normalized, List<Token>? tokens = null)
    {
        Normalized = normalized ?? throw new ArgumentNullException(nameof(normalized));
        Tokens = tokens;
    }

    /// <summary>The normalized piece.</summary>
    public NormalizedString Normalized { get; }

    /// <summary>The tokens (null until the model or the added vocabulary has produced them).</summary>
    public List<Token>? Tokens { get; set; }
}
