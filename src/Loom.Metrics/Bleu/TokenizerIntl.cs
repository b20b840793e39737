// sacrebleu's `intl` tokenizer (mteval-v14 international tokenisation). Reference: sacrebleu 2.6.0
// sacrebleu/tokenizers/tokenizer_intl.py, which applies with the `regex` module
//   (\P{N})(\p{P}) -> "\1 \2 ",  (\p{P})(\P{N}) -> " \1 \2",  (\p{S}) -> " \1 "
// Here the three substitutions run over code points (so astral symbols such as emoji are one unit).
using System.Globalization;
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Bleu;

/// <summary>Splits Unicode punctuation (unless between digits) and Unicode symbols.</summary>
public sealed class TokenizerIntl : IBleuTokenizer
{
    /// <inheritdoc/>
    public string Name => "intl";

    /// <inheritdoc/>
    public string Tokenize(string line)
    {
        var runes = line.EnumerateRunes().ToList();
        runes = SubstitutePairs(runes, (a, b) => !IsNumber(a) && IsPunctuation(b), leadingSpace: false);
        runes = SubstitutePairs(runes, (a, b) => IsPunctuation(a) && !IsNumber(b), leadingSpace: true);
        var sb = new StringBuilder(line.Length * 2);
        foreach (var rune in runes)
        {
            if (IsSymbol(rune))
            {
                sb.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return PyText.NormalizeSpaces(sb.ToString());
    }

    // Leftmost, non-overlapping two-character matches, like re.sub: "ab" -> "a b " or " a b".
    private static List<Rune> SubstitutePairs(List<Rune> input, Func<Rune, Rune, bool> matches, bool leadingSpace)
    {
        var space = new Rune(' ');
        var output = new List<Rune>(input.Count * 2);
        var i = 0;
        while (i < input.Count)
        {
            if (i + 1 < input.Count && matches(input[i], input[i + 1]))
            {
                if (leadingSpace)
                {
                    output.AddRange([space, input[i], space, input[i + 1]]);
                }
                else
                {
                    output.AddRange([input[i], space, input[i + 1], space]);
                }
                i += 2;
            }
            else
            {
                output.Add(input[i]);
                i++;
            }
        }
        return output;
    }

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsPunctuation(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsSymbol(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
        or UnicodeCategory.OtherSymbol;
}
