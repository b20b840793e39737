// HF pre_tokenizers/whitespace.rs: keeps the matches of \w+|[^\w\s]+ and drops whitespace, scanned by hand on code
// points (\w = letters, marks, decimal digits, connector punctuation).
using System.Globalization;

namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Splits into runs of word characters and runs of other non-space characters.</summary>
public sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private static int Kind(int cp)
    {
        if (CharClass.IsWhitespace(cp))
        {
            return 0;
        }

        if (CharClass.IsLetter(cp))
        {
            return 1;
        }

        return CharClass.Category(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation ? 1 : 2;
    }

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Split(static s =>
        {
            string t = s.Text;
            var ranges = new List<(int, int, bool)>();
            int i = 0;
            while (i < t.Length)
            {
                int start = i;
                int kind = Kind(Utf16.CodePointAt(t, i, out int l));
                i += l;
                while (i < t.Length && Kind(Utf16.CodePointAt(t, i, out l)) == kind)
                {
                    i += l;
                }

                ranges.Add((start, i, kind == 0));
            }

            return s.SplitOn(ranges, SplitDelimiterBehavior.Removed);
        });
    }
}
