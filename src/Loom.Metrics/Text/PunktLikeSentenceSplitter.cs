// Kiss & Strunk, "Unsupervised Multilingual Sentence Boundary Detection" (Computational Linguistics 32(4), 2006);
// a simplified, model-free approximation of nltk/tokenize/punkt.py with the English pickle.
using System.Text.RegularExpressions;

namespace Loom.Metrics.Text;

/// <summary>
/// A sentence splitter in the manner of NLTK's <c>sent_tokenize</c> (Kiss &amp; Strunk, "Unsupervised Multilingual
/// Sentence Boundary Detection", 2006; <c>nltk/tokenize/punkt.py</c>) without its trained English model: a sentence
/// ends after a token ending in <c>.</c>, <c>?</c> or <c>!</c> (plus closing quotes/brackets) that is followed by
/// white space and more text, unless the token is a common English abbreviation, an ellipsis, a single-letter
/// initial, or a number followed by a word that is not capitalised. Punkt's learned collocations and orthographic statistics are not
/// reproduced, so rare abbreviations may split differently from NLTK.
/// </summary>
internal static partial class PunktLikeSentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "messrs", "mme", "rev", "gen", "gov", "sen", "rep",
        "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "ft", "mt", "inc", "corp", "co", "ltd", "cos", "bros",
        "vs", "v", "no", "nos", "vol", "fig", "figs", "eq", "ref", "ed", "approx", "dept", "est", "e.g", "i.e",
        "cf", "al", "etc", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "d.c", "n.y", "l.a", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat",
        "sun", "ph.d", "b.a", "m.a", "b.sc", "m.sc",
    };

    private const string Closers = ")]}\"'";

    /// <summary>The sentences of <paramref name="text"/>, without the white space between them.</summary>
    public static List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        var sentenceStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (PyText.IsSpace(text[i]))
            {
                i++;
                continue;
            }

            var tokenStart = i;
            while (i < text.Length && !PyText.IsSpace(text[i]))
            {
                i++;
            }

            var token = text[tokenStart..i];
            var next = i;
            while (next < text.Length && PyText.IsSpace(text[next]))
            {
                next++;
            }

            if (next > i && next < text.Length && EndsSentence(token, text[next]))
            {
                // Punkt re-attaches a following token made only of closing brackets/quotes to the sentence it closes.
                var closerEnd = next;
                while (closerEnd < text.Length && Closers.Contains(text[closerEnd], StringComparison.Ordinal))
                {
                    closerEnd++;
                }

                if (closerEnd > next && (closerEnd == text.Length || PyText.IsSpace(text[closerEnd])))
                {
                    i = closerEnd;
                    next = closerEnd;
                    while (next < text.Length && PyText.IsSpace(text[next]))
                    {
                        next++;
                    }
                }

                sentences.Add(text[sentenceStart..i]);
                sentenceStart = next;
            }
        }

        if (sentenceStart < text.Length)
        {
            var last = text[sentenceStart..].TrimEnd();
            if (last.Length > 0)
            {
                sentences.Add(last);
            }
        }

        return sentences;
    }

    private static bool EndsSentence(string token, char nextFirst)
    {
        var core = token.TrimEnd('"', '\'', ')', ']', '}', '”', '’', '»');
        if (core.Length == 0)
        {
            return false;
        }

        var last = core[^1];
        if (last is '?' or '!')
        {
            return true;
        }

        if (last != '.' || core.EndsWith("..", StringComparison.Ordinal))
        {
            return false;
        }

        var word = core[..^1].TrimStart('"', '\'', '(', '[', '{', '“', '‘', '«').ToLowerInvariant();
        if (Abbreviations.Contains(word) || Abbreviations.Contains(word.Split('-')[^1]))
        {
            return false;
        }

        // Punkt's orthographic heuristic, reduced to its usual outcome: a single-letter initial never ends a
        // sentence, a number ("##number##") does only before a capitalised word.
        if (word.Length == 1 && char.IsLetter(word[0]))
        {
            return false;
        }

        return !(NumberType().IsMatch(word) && !char.IsUpper(nextFirst));
    }

    [GeneratedRegex(@"^-?[\.,]?\d[\d,\.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberType();
}
