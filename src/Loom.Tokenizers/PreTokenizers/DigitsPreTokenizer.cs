// Hugging Face tokenizers pre_tokenizers/digits.rs: splits on Rust's char::is_numeric (general categories Nd, Nl, No),
// so "½" or "٣" is a digit here as much as "3".
namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits numeric characters (Unicode Nd, Nl, No) off, each on its own or as runs.</summary>
public sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizer
{
    /// <summary>One piece per digit (otherwise one per run).</summary>
    public bool IndividualDigits { get; } = individualDigits;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var behavior = IndividualDigits ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous;
        text.Split(s => s.Split(CharClass.IsNumber, behavior));
    }
}
