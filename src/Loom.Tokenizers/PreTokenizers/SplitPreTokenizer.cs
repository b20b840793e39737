namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits on a string or regex pattern, with any delimiter behavior, optionally inverted (matches are the words).</summary>
public sealed class SplitPreTokenizer(Pattern pattern, SplitDelimiterBehavior behavior, bool invert) : IPreTokenizer
{
    /// <summary>The pattern.</summary>
    public Pattern Pattern { get; } = pattern ?? throw new ArgumentNullException(nameof(pattern));

    /// <summary>What happens to delimiters.</summary>
    public SplitDelimiterBehavior Behavior { get; } = behavior;

    /// <summary>Treat matches as content and the rest as delimiters.</summary>
    public bool Invert { get; } = invert;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(s => s.Split(Pattern, Behavior, Invert));
    }
}
