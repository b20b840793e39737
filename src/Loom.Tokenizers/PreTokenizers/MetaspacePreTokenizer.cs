// SentencePiece-style whitespace handling (Kudo & Richardson 2018; HF pre_tokenizers/metaspace.rs): spaces become
// the replacement character (default ▁), one is prepended according to the scheme, and the text is split so
// that each ▁ starts a new piece.
namespace Loom.Tokenizers.PreTokenizers;

/// <summary>The Metaspace pre-tokenizer.</summary>
public sealed class MetaspacePreTokenizer(char replacement = '\u2581', PrependScheme prependScheme = PrependScheme.Always, bool split = true) : IPreTokenizer
{
    /// <summary>The character that stands for a space.</summary>
    public char Replacement { get; } = replacement;

    /// <summary>When to prepend the replacement.</summary>
    public PrependScheme PrependScheme { get; } = prependScheme;

    /// <summary>Split before each replacement character.</summary>
    public bool SplitOnReplacement { get; } = split;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string rep = Replacement.ToString();
        var space = Pattern.Literal(" ");
        text.Split(s =>
        {
            s.Replace(space, rep);
            bool prepend = PrependScheme switch
            {
                PrependScheme.Always => !s.Text.StartsWith(Replacement),
                PrependScheme.First => !s.Text.StartsWith(Replacement) && s.OriginStart == 0,
                _ => false,
            };
            if (prepend)
            {
                s.Prepend(rep);
            }

            return SplitOnReplacement ? s.Split(c => c == Replacement, SplitDelimiterBehavior.MergedWithNext) : [s];
        });
    }
}
