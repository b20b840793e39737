namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits on punctuation characters with the given behavior.</summary>
public sealed class PunctuationPreTokenizer(SplitDelimiterBehavior behavior = SplitDelimiterBehavior.Isolated) : IPreTokenizer
{
    /// <summary>What happens to punctuation.</summary>
    public SplitDelimiterBehavior Behavior { get; } = behavior;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(s => s.Split(CharClass.IsBertPunctuation, Behavior));
    }
}
