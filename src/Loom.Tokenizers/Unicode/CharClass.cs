// Character classes with the exact meaning the Rust standard library / unicode_categories crate give them in
// Hugging Face tokenizers (char::is_whitespace, is_punctuation, is_other, BERT's CJK ranges).
using System.Globalization;

namespace Loom.Tokenizers;

/// <summary>Character predicates used by normalizers and pre-tokenizers, on code points.</summary>
internal static class CharClass
{
    /// <summary>Unicode White_Space (Rust <c>char::is_whitespace</c>).</summary>
    public static bool IsWhitespace(int cp) => cp switch
    {
        >= 0x9 and <= 0xD => true,
        0x20 or 0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    /// <summary>General category of a code point (surrogate code units report Surrogate).</summary>
    public static UnicodeCategory Category(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp);

    /// <summary>Any letter category (regex <c>\p{L}</c>).</summary>
    public static bool IsLetter(int cp) => cp < 0x80
        ? (uint)((cp | 0x20) - 'a') <= 'z' - 'a'
        : Category(cp) <= UnicodeCategory.OtherLetter;

    /// <summary>Any number category (regex <c>\p{N}</c>).</summary>
    public static bool IsNumber(int cp) => cp < 0x80
        ? (uint)(cp - '0') <= 9
        : Category(cp) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Unicode punctuation (categories P*).</summary>
    public static bool IsPunctuation(int cp) => Category(cp) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
        or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    /// <summary>ASCII punctuation or Unicode punctuation (BERT's definition).</summary>
    public static bool IsBertPunctuation(int cp) => cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || (cp >= 0x80 && IsPunctuation(cp));

    /// <summary>Categories C* (control, format, private use, surrogate, unassigned).</summary>
    public static bool IsOther(int cp) => Category(cp) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;

    /// <summary>Nonspacing mark (Mn).</summary>
    public static bool IsNonSpacingMark(int cp) => cp >= 0x300 && Category(cp) == UnicodeCategory.NonSpacingMark;

    /// <summary>Letters, digits (alphanumeric) or underscore: a "word" character for single_word added tokens.</summary>
    public static bool IsWordChar(int cp) => cp == '_' || IsLetter(cp) || IsNumber(cp);

    /// <summary>The CJK Unified Ideograph blocks BERT surrounds with spaces.</summary>
    public static bool IsCjk(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
        or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0x2F800 and <= 0x2FA1F);
}
