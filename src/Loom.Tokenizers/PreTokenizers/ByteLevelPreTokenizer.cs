// GPT-2 byte-level pre-tokenization (Radford et al. 2019; HF pre_tokenizers/byte_level.rs): optional prefix space,
// split with GPT-2's pattern  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (scanned by hand on code points rather than with a regex), then every UTF-8 byte becomes one printable character
// that keeps the alignment of the character it came from.
namespace Loom.Tokenizers.PreTokenizers;

/// <summary>The byte-level pre-tokenizer.</summary>
public sealed class ByteLevelPreTokenizer(bool addPrefixSpace = false, bool trimOffsets = true, bool useRegex = true) : IPreTokenizer
{
    /// <summary>Prepend a space when the text does not start with one.</summary>
    public bool AddPrefixSpace { get; } = addPrefixSpace;

    /// <summary>Kept for round-tripping tokenizer.json (used by the post-processor).</summary>
    public bool TrimOffsets { get; } = trimOffsets;

    /// <summary>Split with the GPT-2 pattern.</summary>
    public bool UseRegex { get; } = useRegex;

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(s =>
        {
            if (AddPrefixSpace && !s.Text.StartsWith(' '))
            {
                s.Prepend(" ");
            }

            return UseRegex ? s.SplitOn(Gpt2Split(s.Text), SplitDelimiterBehavior.Isolated) : [s];
        });
        text.Normalize(static s => s.ToByteLevel());
    }

    private enum Kind
    {
        Letter,
        Number,
        Space,
        Other,
    }

    private static Kind Classify(int cp) =>
        CharClass.IsWhitespace(cp) ? Kind.Space : CharClass.IsLetter(cp) ? Kind.Letter : CharClass.IsNumber(cp) ? Kind.Number : Kind.Other;

    /// <summary>Partitions <paramref name="t"/> into the matches of the GPT-2 pattern.</summary>
    internal static List<(int Start, int End, bool IsMatch)> Gpt2Split(string t)
    {
        var result = new List<(int, int, bool)>();
        int n = t.Length;
        int i = 0;
        while (i < n)
        {
            int start = i;
            int end = Gpt2MatchEnd(t, i);
            result.Add((start, end, true));
            i = end;
        }

        return result;
    }

    private static int RunEnd(string t, int i, Kind kind)
    {
        while (i < t.Length && Classify(Utf16.CodePointAt(t, i, out int l)) == kind)
        {
            i += l;
        }

        return i;
    }

    /// <summary>End of the GPT-2 pattern match that starts at <paramref name="i"/>.</summary>
    internal static int Gpt2MatchEnd(string t, int i)
    {
        int n = t.Length;
        char c = t[i];
        if (c == '\'' && i + 1 < n)
        {
            char d = t[i + 1];
            if (d is 's' or 't' or 'm' or 'd')
            {
                return i + 2;
            }

            if (i + 2 < n && ((d == 'r' && t[i + 2] == 'e') || (d == 'v' && t[i + 2] == 'e') || (d == 'l' && t[i + 2] == 'l')))
            {
                return i + 3;
            }
        }

        int j = c == ' ' && i + 1 < n ? i + 1 : i;
        int cp = Utf16.CodePointAt(t, j, out int len);
        var kind = Classify(cp);
        if (kind != Kind.Space)
        {
            return RunEnd(t, j + len, kind);
        }

        // Whitespace: \s+(?!\S) takes the run but leaves its last character when a non-space follows; \s+ otherwise.
        int runEnd = RunEnd(t, i, Kind.Space);
        if (runEnd == n)
        {
            return n;
        }

        int lastStart = runEnd - 1;
        if (char.IsLowSurrogate(t[lastStart]) && lastStart > i && char.IsHighSurrogate(t[lastStart - 1]))
        {
            lastStart--;
        }

        return lastStart > i ? lastStart : runEnd;
    }
}
