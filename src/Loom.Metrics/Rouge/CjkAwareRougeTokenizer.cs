// Loom's CJK-aware ROUGE default: rouge-score's DefaultTokenizer (rouge_score/tokenize.py) plus one token per
// CJK ideograph / kana / Hangul syllable.
namespace Loom.Metrics.Rouge;

/// <summary>
/// Loom's default ROUGE tokenizer. On text without CJK characters it gives exactly rouge-score's
/// <c>DefaultTokenizer</c> tokens (runs of <c>[a-z0-9]</c> after lower-casing, Porter stemming of tokens longer than
/// three characters when asked); in addition every CJK ideograph (including extensions A–G and compatibility
/// ideographs), kana and Hangul syllable is a token of its own, so Chinese, Japanese and Korean never silently score 0.
/// </summary>
public sealed class CjkAwareRougeTokenizer : CjkCharRougeTokenizer
{
    /// <summary>Creates the tokenizer.</summary>
    public CjkAwareRougeTokenizer(bool useStemmer = false) : base(useStemmer)
    {
    }

    /// <inheritdoc />
    protected override bool IsCjkCharacter(int codePoint) =>
        base.IsCjkCharacter(codePoint)
        || codePoint is (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
            or (>= 0x3005 and <= 0x3007) // 々 〆 〇
            or (>= 0xAC00 and <= 0xD7A3) // Hangul syllables
            or (>= 0x20000 and <= 0x323AF); // CJK extensions B..H and compatibility supplement
}
