// rouge-score 0.1.2 rouge_score/tokenize.py and tokenizers.py (DefaultTokenizer).
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Rouge;

/// <summary>
/// rouge-score 0.1.2's <c>DefaultTokenizer</c> (<c>rouge_score/tokenize.py</c>), reproduced exactly: lower-case,
/// every run of characters outside <c>[a-z0-9]</c> becomes a separator, optional Porter stemming of tokens longer
/// than three characters. It drops every non-ASCII letter, so <b>Chinese text yields no tokens and ROUGE 0</b>: use
/// it only to reproduce published rouge-score numbers; Loom's default is <see cref="CjkAwareRougeTokenizer"/>.
/// </summary>
public sealed class RougeScoreTokenizer : IRougeTokenizer
{
    private readonly bool _useStemmer;

    /// <summary>Creates the tokenizer, with or without Porter stemming.</summary>
    public RougeScoreTokenizer(bool useStemmer) => _useStemmer = useStemmer;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        foreach (var run in AsciiAlphanumericRuns(PyText.Lower(text)))
        {
            // The stemmer only ever sees [a-z0-9]+ and returns [a-z0-9]+, so the final validity filter keeps all.
            tokens.Add(_useStemmer && run.Length > 3 ? PorterStemmer.Instance.Stem(run) : run);
        }

        return tokens;
    }

    /// <summary>Maximal runs of <c>[a-z0-9]</c> in an already lower-cased text.</summary>
    internal static IEnumerable<string> AsciiAlphanumericRuns(string lowered)
    {
        var current = new StringBuilder();
        foreach (var c in lowered)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
