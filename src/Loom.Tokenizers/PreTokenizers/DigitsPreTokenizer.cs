namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits ASCII digits off, each on its own or as runs.</summary>
public sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    /// <summary>One piece per digit (otherwise one per run).</summary>
    public bool IndividualDigits { get; } = individualDigits;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var behavior = IndividualDigits ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous;
        text.Split(s => s.Split(static c => c is >= '0' and <= '9', behavior));
    }
}
