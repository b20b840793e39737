// BERT's text cleaning (Devlin et al. 2019; google-research/bert tokenization.py), as Hugging Face tokenizers'
// BertNormalizer: drop NUL / U+FFFD / control characters, map whitespace to ' ', surround CJK ideographs with
// spaces, strip accents (NFD then drop nonspacing marks), lowercase.
namespace Loom.Tokenizers.Normalizers;

/// <summary>The BERT normalizer.</summary>
public sealed class BertNormalizer : INormalizer
{
    /// <summary>Creates the normalizer; <paramref name="stripAccents"/> null means "same as lowercase".</summary>
    public BertNormalizer(bool cleanText = true, bool handleChineseChars = true, bool? stripAccents = null, bool lowercase = true)
    {
        CleanText = cleanText;
        HandleChineseChars = handleChineseChars;
        StripAccents = stripAccents;
        Lowercase = lowercase;
    }

    /// <summary>Remove control characters and normalize whitespace.</summary>
    public bool CleanText { get; }

    /// <summary>Put spaces around CJK ideographs.</summary>
    public bool HandleChineseChars { get; }

    /// <summary>Strip accents (null: follow <see cref="Lowercase"/>).</summary>
    public bool? StripAccents { get; }

    /// <summary>Lowercase.</summary>
    public bool Lowercase { get; }

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (CleanText)
        {
            text.Filter(static c => !(c == 0 || c == 0xFFFD || (c is not ('\t' or '\n' or '\r') && CharClass.IsOther(c))));
            text.Map(static c => c is '\t' or '\n' or '\r' || CharClass.IsWhitespace(c) ? ' ' : c);
        }

        if (HandleChineseChars)
        {
            text.Expand(static (c, output) =>
            {
                if (CharClass.IsCjk(c))
                {
                    output.Add(' ');
                    output.Add(c);
                    output.Add(' ');
                }
                else
                {
                    output.Add(c);
                }
            });
        }

        if (StripAccents ?? Lowercase)
        {
            UnicodeNormalizer.Apply(text, NormalizationForm.Nfd);
            text.Filter(static c => !CharClass.IsNonSpacingMark(c));
        }

        if (Lowercase)
        {
            text.Lowercase();
        }
    }
}
