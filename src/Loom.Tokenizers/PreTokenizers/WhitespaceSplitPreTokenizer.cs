namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits on whitespace, dropping it.</summary>
public sealed class WhitespaceSplitPreTokenizer : IPreTokenizer
{
    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(static s => s.Split(CharClass.IsWhitespace, SplitDelimiterBehavior.Removed));
    }
}
