// Rajpurkar et al., "SQuAD: 100,000+ Questions for Machine Comprehension of Text" (EMNLP 2016); reference
// implementation followed: evaluate-v1.1.py as in huggingface/evaluate metrics/squad/compute_score.py.
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Qa;

/// <summary>
/// The official SQuAD v1.1 evaluation (Rajpurkar et al., "SQuAD: 100,000+ Questions for Machine Comprehension of
/// Text", 2016; <c>evaluate-v1.1.py</c>, as shipped in huggingface/evaluate <c>metrics/squad/compute_score.py</c>):
/// answers are normalised (lower-case, ASCII punctuation removed, the words a/an/the removed, white space collapsed),
/// exact match compares normalised strings, F1 the bags of normalised tokens, each maximised over the gold answers.
/// English-only by design (it strips only English articles); use <see cref="Cmrc2018Evaluator"/> for Chinese.
/// </summary>
public static class SquadEvaluator
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>The normalised answer string.</summary>
    public static string NormalizeAnswer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lowered = PyText.Lower(text);
        var noPunctuation = new StringBuilder(lowered.Length);
        foreach (var c in lowered)
        {
            if (!AsciiPunctuation.Contains(c, StringComparison.Ordinal))
            {
                noPunctuation.Append(c);
            }
        }

        return string.Join(' ', PyText.Split(RemoveArticles(noPunctuation.ToString())));
    }

    /// <summary>Replaces every whole word a/an/the (Python <c>\b</c> boundaries) by a space.</summary>
    private static string RemoveArticles(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < runes.Length)
        {
            var length = ArticleLengthAt(runes, i);
            if (length > 0)
            {
                output.Append(' ');
                i += length;
            }
            else
            {
                output.Append(runes[i].ToString());
                i++;
            }
        }

        return output.ToString();
    }

    private static int ArticleLengthAt(Rune[] runes, int i)
    {
        if (i > 0 && PyText.IsWordChar(runes[i - 1]))
        {
            return 0;
        }

        foreach (var article in (string[])["a", "an", "the"])
        {
            var end = i + article.Length;
            if (end > runes.Length)
            {
                continue;
            }

            var matches = true;
            for (var k = 0; k < article.Length && matches; k++)
            {
                matches = runes[i + k].Value == article[k];
            }

            if (matches && (end == runes.Length || !PyText.IsWordChar(runes[end])))
            {
                return article.Length;
            }
        }

        return 0;
    }

    /// <summary>Exact match of the normalised strings.</summary>
    public static bool ExactMatch(string prediction, string groundTruth) =>
        NormalizeAnswer(prediction) == NormalizeAnswer(groundTruth);

    /// <summary>Token-bag F1 of the normalised strings (0 when nothing overlaps).</summary>
    public static double F1(string prediction, string groundTruth)
    {
        var predictionTokens = PyText.Split(NormalizeAnswer(prediction));
        var truthTokens = PyText.Split(NormalizeAnswer(groundTruth));
        var truthCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in truthTokens)
        {
            truthCounts[t] = truthCounts.GetValueOrDefault(t) + 1;
        }

        var same = 0;
        foreach (var group in predictionTokens.GroupBy(t => t, StringComparer.Ordinal))
        {
            same += Math.Min(group.Count(), truthCounts.GetValueOrDefault(group.Key));
        }

        if (same == 0)
        {
            return 0;
        }

        var precision = 1.0 * same / predictionTokens.Count;
        var recall = 1.0 * same / truthTokens.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Maximum exact match (1.0 or 0.0) and F1 over the gold answers.</summary>
    public static (double ExactMatch, double F1) ScorePair(string prediction, IReadOnlyList<string> groundTruths)
    {
        ArgumentNullException.ThrowIfNull(groundTruths);
        if (groundTruths.Count == 0)
        {
            throw new MetricException("SQuAD scoring needs at least one ground-truth answer, found none (max() of an empty sequence).");
        }

        return (groundTruths.Max(g => ExactMatch(prediction, g) ? 1.0 : 0.0), groundTruths.Max(g => F1(prediction, g)));
    }

    /// <summary>
    /// Dataset-level scores on the 0–100 scale over every question of <paramref name="questions"/>; a question
    /// without a prediction scores 0 and stays in the denominator.
    /// </summary>
    public static (double ExactMatch, double F1) Score(IEnumerable<QaQuestion> questions,
        IReadOnlyDictionary<string, string> predictions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(predictions);
        double exact = 0, f1 = 0;
        var total = 0;
        foreach (var question in questions)
        {
            total++;
            if (!predictions.TryGetValue(question.Id, out var prediction))
            {
                continue;
            }

            var (e, f) = ScorePair(prediction, question.Answers);
            exact += e;
            f1 += f;
        }

        if (total == 0)
        {
            throw new MetricException("SQuAD dataset scoring needs at least one question, found none (division by zero).");
        }

        return (100.0 * exact / total, 100.0 * f1 / total);
    }
}
