// Tercom's text normaliser as sacrebleu 2.6.0 re-implements it. Reference: sacrebleu/tokenizers/tokenizer_ter.py,
// after src/ter/core/Normalizer.java of jhclark/tercom. The kana rules of `_normalize_asian` are anchored with `^`
// on a string that always starts with a space at that point, so they never fire and are not reproduced.
using System.Text.RegularExpressions;
using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Ter;

/// <summary>Lower-casing, Tercom normalisation and punctuation removal for TER.</summary>
public sealed partial class TercomTokenizer(TerOptions options)
{
    private const string AsianPunct = @"[\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb]";
    private const string FullWidthPunct = @"[\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09]";

    [GeneratedRegex(@"'s$")]
    private static partial Regex PossessiveAtEnd();

    [GeneratedRegex(@"([\u4e00-\u9fff\u3400-\u4dbf\u31c0-\u31ef\u2e80-\u2eff\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f\u3200-\u3f22])")]
    private static partial Regex CjkCharacter();

    [GeneratedRegex("(" + AsianPunct + "|" + FullWidthPunct + ")")]
    private static partial Regex CjkPunctuation();

    [GeneratedRegex(@"[.,?:;!""()]")]
    private static partial Regex WesternPunctuation();

    /// <summary>The tokenizer name in the signature.</summary>
    public static string Name => "tercom";

    /// <summary>Normalises one segment.</summary>
    public string Tokenize(string sent)
    {
        if (sent.Length == 0)
        {
            return "";
        }
        if (!options.CaseSensitive)
        {
            sent = PyText.Lower(sent);
        }
        if (options.Normalized)
        {
            sent = NormalizeGeneralAndWestern(sent);
            if (options.AsianSupport)
            {
                // Tercom applies four separate range substitutions; each wraps single characters in spaces, and the
                // ranges are disjoint, so one pass over their union gives the same string.
                sent = CjkCharacter().Replace(sent, " $1 ");
                sent = CjkPunctuation().Replace(sent, " $1 ");
            }
            sent = PyText.NormalizeSpaces(sent);
        }
        if (options.NoPunct)
        {
            sent = WesternPunctuation().Replace(sent, "");
            if (options.AsianSupport)
            {
                sent = CjkPunctuation().Replace(sent, "");
            }
        }
        return sent;
    }

    private static string NormalizeGeneralAndWestern(string sent)
    {
        sent = sent.Replace("\n-", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        sent = " " + sent + " ";
        sent = MtevalRegexTokenizer.AsciiPunctuation().Replace(sent, " $1 ");
        sent = sent.Replace("'s ", " 's ", StringComparison.Ordinal);
        sent = PossessiveAtEnd().Replace(sent, " 's");
        sent = MtevalRegexTokenizer.PeriodCommaNotAfterDigit().Replace(sent, "$1 $2 ");
        sent = MtevalRegexTokenizer.PeriodCommaNotBeforeDigit().Replace(sent, " $1 $2");
        return MtevalRegexTokenizer.DashAfterDigit().Replace(sent, "$1 $2 ");
    }
}
