namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits on one delimiter character, dropping it.</summary>
public sealed class CharDelimiterSplitPreTokenizer(int delimiter) : IPreTokenizer
{
    /// <summary>The delimiter code point.</summary>
    public int Delimiter { get; } = delimiter;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(s => s.Split(c => c == Delimiter, SplitDelimiterBehavior.Removed));
    }
}
