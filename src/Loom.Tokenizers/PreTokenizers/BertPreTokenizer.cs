// BERT's basic tokenizer split (google-research/bert tokenization.py; HF pre_tokenizers/bert.rs): split on
// whitespace (removed), then isolate every punctuation character.
namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Whitespace split, then each punctuation character on its own.</summary>
public sealed class BertPreTokenizer : IPreTokenizer
{
    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(static s => s.Split(CharClass.IsWhitespace, SplitDelimiterBehavior.Removed));
        text.Split(static s => s.Split(CharClass.IsBertPunctuation, SplitDelimiterBehavior.Isolated));
    }
}
