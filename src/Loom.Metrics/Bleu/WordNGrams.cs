// Word n-gram counting over whitespace-split tokens. Reference: sacrebleu 2.6.0 sacrebleu/metrics/helpers.py
// (`extract_all_word_ngrams`, `extract_word_ngrams`). Tokens come from Python's split(), so they contain no
// whitespace and joining them with a space is an unambiguous key.
namespace Loom.Metrics.Bleu;

/// <summary>Counts word n-grams; keys are the tokens joined by single spaces.</summary>
public static class WordNGrams
{
    /// <summary>Counts of every n-gram of order <paramref name="order"/> in <paramref name="tokens"/>.</summary>
    public static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int order)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + order <= tokens.Count; i++)
        {
            var key = string.Join(' ', tokens.Skip(i).Take(order));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    /// <summary>Counts of all n-grams of orders <paramref name="minOrder"/>..<paramref name="maxOrder"/>, per order
    /// (index 0 = <paramref name="minOrder"/>).</summary>
    public static List<Dictionary<string, int>> CountAll(IReadOnlyList<string> tokens, int minOrder, int maxOrder)
    {
        var result = new List<Dictionary<string, int>>();
        for (var n = minOrder; n <= maxOrder; n++)
        {
            result.Add(Count(tokens, n));
        }
        return result;
    }
}
