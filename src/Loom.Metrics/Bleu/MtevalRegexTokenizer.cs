// The regular-expression part of the mteval-v13a tokenizer, shared by the `13a` and `zh` tokenizers.
// Reference: sacrebleu 2.6.0 sacrebleu/tokenizers/tokenizer_re.py (TokenizerRegexp), itself from
// mteval-v13a.pl (NIST). Patterns are ASCII-only, so .NET regexes over UTF-16 behave like Python's.
using System.Text.RegularExpressions;
using Loom.Metrics.Text;

namespace Loom.Metrics.Bleu;

/// <summary>mteval-v13a punctuation splitting followed by whitespace normalisation. Its four patterns are also the
/// general/western part of Tercom's normaliser (<see cref="Ter.TercomTokenizer"/>).</summary>
public static partial class MtevalRegexTokenizer
{
    [GeneratedRegex(@"([{-~\[-` -&(-+:-@/])")]
    internal static partial Regex AsciiPunctuation();

    [GeneratedRegex(@"([^0-9])([.,])")]
    internal static partial Regex PeriodCommaNotAfterDigit();

    [GeneratedRegex(@"([.,])([^0-9])")]
    internal static partial Regex PeriodCommaNotBeforeDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    internal static partial Regex DashAfterDigit();

    /// <summary>Applies the four mteval substitutions, then collapses whitespace (Python <c>split()</c>).</summary>
    public static string Tokenize(string line)
    {
        line = AsciiPunctuation().Replace(line, " $1 ");
        line = PeriodCommaNotAfterDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaNotBeforeDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return PyText.NormalizeSpaces(line);
    }
}
