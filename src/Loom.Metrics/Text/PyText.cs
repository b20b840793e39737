// CPython str semantics (Objects/unicodeobject.c: str.split, str.strip, str.isspace) used by the reference scripts.
using System.Globalization;
using System.Text;

namespace Loom.Metrics.Text;

/// <summary>
/// Python 3 <c>str</c> semantics that the reference metric scripts rely on: <c>str.isspace</c>, <c>str.split()</c>,
/// <c>str.strip()</c>, <c>str.lower()</c> and the Unicode <c>\w</c> class of <c>re</c>. Strings are processed by code
/// point (Python indexes code points, .NET indexes UTF-16 units).
/// </summary>
internal static class PyText
{
    /// <summary>Python's <c>str.isspace</c> for one code point (adds U+001C..U+001F to .NET's white space).</summary>
    public static bool IsSpace(int codePoint) =>
        (codePoint >= 0x1C && codePoint <= 0x1F) || (codePoint <= 0xFFFF && char.IsWhiteSpace((char)codePoint));

    /// <summary>Python's <c>\w</c> in a <c>str</c> pattern: alphanumeric (letters, all numeric categories) or underscore.</summary>
    public static bool IsWordChar(Rune rune) => rune.Value == '_' || Rune.IsLetter(rune) || Rune.IsNumber(rune);

    /// <summary><c>str.split()</c> without arguments: split on runs of white space, no empty items.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]))
            {
                if (start >= 0)
                {
                    parts.Add(text[start..i]);
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
            parts.Add(text[start..]);
        }

        return parts;
    }

    /// <summary><c>str.strip()</c> without arguments.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// <c>str.lower()</c>: the invariant simple lower-case mapping plus the two places where CPython's full mapping
    /// differs: U+0130 becomes "i" + U+0307, and capital sigma becomes final sigma at the end of a word.
    /// </summary>
    public static string Lower(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lowered = text.ToLowerInvariant();
        if (!text.Contains('\u0130', StringComparison.Ordinal) && !text.Contains('\u03A3', StringComparison.Ordinal))
        {
            return lowered;
        }

        var output = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            output.Append(text[i] switch
            {
                '\u0130' => "i\u0307",
                '\u03A3' => IsFinalSigma(text, i) ? "\u03C2" : "\u03C3",
                _ => lowered[i].ToString(),
            });
        }

        return output.ToString();
    }

    /// <summary>CPython's <c>handle_capital_sigma</c>: cased letter before (skipping case-ignorables), none after.</summary>
    private static bool IsFinalSigma(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && IsCaseIgnorable(text[j]))
        {
            j--;
        }

        if (j < 0 || !IsCased(text[j]))
        {
            return false;
        }

        j = i + 1;
        while (j < text.Length && IsCaseIgnorable(text[j]))
        {
            j++;
        }

        return j == text.Length || !IsCased(text[j]);
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '\u00B7' or '\u2019' or '\u00AD'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

    /// <summary>The code points of <paramref name="text"/> as strings (one per Python character).</summary>
    public static List<string> CodePoints(string text)
    {
        var result = new List<string>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }

        return result;
    }

    /// <summary>Length in code points, like Python's <c>len(str)</c>.</summary>
    public static int Length(string text)
    {
        var n = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            n++;
        }

        return n;
    }
}
