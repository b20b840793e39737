// Python 3 `str` semantics that the reference metrics (sacrebleu, nltk, rouge-score, pycocoevalcap, the SQuAD and
// CMRC scripts) depend on: code-point iteration, `str.isspace()`, `str.split()` / `strip()` / `rstrip()`,
// `str.lower()` and the `\w` class of `re`.
// Reference: CPython Objects/unicodeobject.c (`_PyUnicode_IsWhitespace`, split/strip without arguments).
using System.Globalization;
using System.Text;

namespace Loom.Metrics.Text;

/// <summary>Python <c>str</c> behaviour on .NET strings (whitespace set, splitting, stripping, lower-casing).</summary>
internal static class PyText
{
    /// <summary>True for the code points Python's <c>str.isspace()</c> accepts (bidi WS/B/S or category Zs).</summary>
    public static bool IsSpace(int codePoint) => codePoint switch
    {
        >= 0x09 and <= 0x0D => true,
        >= 0x1C and <= 0x20 => true,
        0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A => true,
        0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Python <c>s.split()</c>: runs of whitespace separate, leading/trailing whitespace ignored.</summary>
    public static List<string> Split(string s)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i < s.Length; i++)
        {
            // All Python whitespace code points are in the BMP, so a UTF-16 unit test is exact.
            if (IsSpace(s[i]))
            {
                if (start >= 0)
                {
                    tokens.Add(s[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        if (start >= 0)
        {
            tokens.Add(s[start..]);
        }
        return tokens;
    }

    /// <summary>Python <c>' '.join(s.split())</c>: collapse whitespace runs to one space and trim.</summary>
    public static string NormalizeSpaces(string s) => string.Join(' ', Split(s));

    /// <summary>Python <c>s.strip()</c>.</summary>
    public static string Strip(string s)
    {
        var start = 0;
        while (start < s.Length && IsSpace(s[start]))
        {
            start++;
        }
        return RStrip(s[start..]);
    }

    /// <summary>Python <c>s.rstrip()</c>.</summary>
    public static string RStrip(string s)
    {
        var end = s.Length;
        while (end > 0 && IsSpace(s[end - 1]))
        {
            end--;
        }
        return s[..end];
    }

    /// <summary>Python <c>s.lower()</c>: per-code-point lower-case mapping, U+0130 becomes "i\u0307", and a capital
    /// sigma in the Unicode Final_Sigma context becomes "ς" (CPython <c>handle_capital_sigma</c>).</summary>
    public static string Lower(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (rune.Value == 0x130)
            {
                sb.Append("i\u0307");
            }
            else if (rune.Value == 0x3A3)
            {
                sb.Append(IsFinalSigma(runes, i) ? 'ς' : 'σ');
            }
            else
            {
                sb.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }
        return sb.ToString();
    }

    // \p{cased} \p{case-ignorable}* U+03A3 !( \p{case-ignorable}* \p{cased} )
    private static bool IsFinalSigma(Rune[] runes, int i)
    {
        var j = i - 1;
        while (j >= 0 && IsCaseIgnorable(runes[j]))
        {
            j--;
        }
        if (j < 0 || !IsCased(runes[j]))
        {
            return false;
        }
        j = i + 1;
        while (j < runes.Length && IsCaseIgnorable(runes[j]))
        {
            j++;
        }
        return j == runes.Length || !IsCased(runes[j]);
    }

    private static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || r.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    /// <summary>The code points of <paramref name="s"/>, one string per code point (Python's indexing unit).</summary>
    public static List<string> CodePoints(string s)
    {
        var result = new List<string>(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }
        return result;
    }

    /// <summary>Length in code points, like Python's <c>len(str)</c>.</summary>
    public static int Length(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }
        return n;
    }

    /// <summary>Python's <c>\w</c> in a <c>str</c> pattern: alphanumeric (letters, all numeric categories) or underscore.</summary>
    public static bool IsWordChar(Rune rune) => rune.Value == '_' || Rune.IsLetter(rune) || Rune.IsNumber(rune);
}
