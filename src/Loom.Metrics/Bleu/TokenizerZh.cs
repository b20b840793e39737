// sacrebleu's `zh` tokenizer. Reference: sacrebleu 2.6.0 sacrebleu/tokenizers/tokenizer_zh.py (Shujian Huang).
// Each "Chinese" code point is surrounded by spaces, then the mteval regex part runs (no entity unescaping).
// The reference range table writes two ranges as '\u20000'..'\u2a6d6' and '\u2f800'..'\u2fa1d'; Python
// reads those as two-character strings, so for one code point they mean U+2001..U+2A6D and U+2F81..U+2FA1.
// We reproduce that observable behaviour rather than the intended astral ranges.
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Bleu;

/// <summary>Character-level splitting of CJK text plus mteval punctuation handling of the rest.</summary>
public sealed class TokenizerZh : IBleuTokenizer
{
    private static readonly (int Start, int End)[] Ranges =
    [
        (0x3400, 0x4DB5), (0x4E00, 0x9FA5), (0x9FA6, 0x9FBB), (0xF900, 0xFA2D), (0xFA30, 0xFA6A),
        (0xFA70, 0xFAD9), (0x2001, 0x2A6D), (0x2F81, 0x2FA1), (0xFF00, 0xFFEF), (0x2E80, 0x2EFF),
        (0x3000, 0x303F), (0x31C0, 0x31EF), (0x2F00, 0x2FDF), (0x2FF0, 0x2FFF), (0x3100, 0x312F),
        (0x31A0, 0x31BF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0x2600, 0x26FF), (0x2700, 0x27BF),
        (0x3200, 0x32FF), (0x3300, 0x33FF),
    ];

    /// <inheritdoc/>
    public string Name => "zh";

    /// <summary>True when sacrebleu's <c>_is_chinese_char</c> accepts the code point.</summary>
    public static bool IsChineseChar(int codePoint)
    {
        foreach (var (start, end) in Ranges)
        {
            if (codePoint >= start && codePoint <= end)
            {
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc/>
    public string Tokenize(string line)
    {
        var sb = new StringBuilder(line.Length * 2);
        foreach (var rune in PyText.Strip(line).EnumerateRunes())
        {
            if (IsChineseChar(rune.Value))
            {
                sb.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return MtevalRegexTokenizer.Tokenize(sb.ToString());
    }
}
