// Word boundaries of WordPiece output (Devlin et al. 2019, BERT whole-word masking): a token that begins with "##"
// continues the previous word.
namespace Loom.Training.Objectives;

/// <summary>Words = a token and the "##" continuation tokens after it.</summary>
public sealed class WordPieceSegmenter : IWordSegmenter
{
    /// <summary>The continuation prefix (WordPiece: "##").</summary>
    public const string ContinuationPrefix = "##";

    /// <inheritdoc/>
    public bool[] WordStarts(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var starts = new bool[tokens.Count];
        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = i == 0 || !tokens[i].StartsWith(ContinuationPrefix, StringComparison.Ordinal);
        }

        return starts;
    }

    /// <summary>True for a token that is one CJK ideograph (the unit that Chinese BERT vocabularies split text into).</summary>
    internal static bool IsChineseCharacter(string token)
    {
        var text = token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) ? token[ContinuationPrefix.Length..] : token;
        int cp;
        if (text.Length == 1)
        {
            cp = text[0];
        }
        else if (text.Length == 2 && char.IsSurrogatePair(text[0], text[1]))
        {
            cp = char.ConvertToUtf32(text[0], text[1]);
        }
        else
        {
            return false;
        }

        // The CJK ranges of BERT's BasicTokenizer._is_chinese_char.
        return cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
    }

    /// <summary>The token's text without the continuation prefix.</summary>
    internal static string Bare(string token) =>
        token.StartsWith(ContinuationPrefix, StringComparison.Ordinal) ? token[ContinuationPrefix.Length..] : token;
}
