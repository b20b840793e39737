// Lin, "ROUGE: A Package for Automatic Evaluation of Summaries" (ACL workshop 2004); reference implementation
// followed: rouge-score 0.1.2 (google-research/google-research rouge/rouge_scorer.py, PyPI sdist).
using System.Text.RegularExpressions;
using Loom.Metrics.Text;

namespace Loom.Metrics.Rouge;

/// <summary>
/// ROUGE-N, ROUGE-L and ROUGE-Lsum as rouge-score 0.1.2 computes them (<c>rouge_score/rouge_scorer.py</c>; Lin,
/// "ROUGE: A Package for Automatic Evaluation of Summaries", 2004). <c>rougeN</c> clips n-gram counts, <c>rougeL</c>
/// is the longest common subsequence over whole texts, <c>rougeLsum</c> the summary-level union LCS over sentences
/// (newline-separated unless <c>splitSummaries</c>). <see cref="Score"/> takes (target, prediction) in that order.
/// The default tokenizer is <see cref="CjkAwareRougeTokenizer"/>; pass <see cref="RougeScoreTokenizer"/> to reproduce
/// rouge-score's English-only behaviour bit for bit.
/// </summary>
public sealed partial class RougeScorer
{
    private readonly string[] _rougeTypes;
    private readonly IRougeTokenizer _tokenizer;
    private readonly bool _splitSummaries;

    /// <summary>Creates a scorer.</summary>
    /// <param name="rougeTypes">Any of <c>rouge1</c>..<c>rouge9</c>, <c>rougeL</c>, <c>rougeLsum</c>.</param>
    /// <param name="useStemmer">Porter-stem ASCII words longer than three characters (ignored when <paramref name="tokenizer"/> is given).</param>
    /// <param name="tokenizer">Tokenizer; default <see cref="CjkAwareRougeTokenizer"/>.</param>
    /// <param name="splitSummaries">For rougeLsum, split sentences with <see cref="PunktLikeSentenceSplitter"/> instead of on newlines.</param>
    public RougeScorer(IEnumerable<string> rougeTypes, bool useStemmer = false, IRougeTokenizer? tokenizer = null,
        bool splitSummaries = false)
    {
        ArgumentNullException.ThrowIfNull(rougeTypes);
        _rougeTypes = [.. rougeTypes];
        foreach (var type in _rougeTypes)
        {
            if (type != "rougeL" && type != "rougeLsum" && !NGramType().IsMatch(type))
            {
                throw new MetricException(
                    $"Invalid rouge type: expected rouge1..rouge9, rougeL or rougeLsum, found '{type}'.");
            }
        }

        _tokenizer = tokenizer ?? new CjkAwareRougeTokenizer(useStemmer);
        _splitSummaries = splitSummaries;
    }

    /// <summary>The rouge types this scorer reports, in the order given.</summary>
    public IReadOnlyList<string> RougeTypes => _rougeTypes;

    /// <summary>Scores <paramref name="prediction"/> against one <paramref name="target"/>.</summary>
    public Dictionary<string, RougeScore> Score(string target, string prediction)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prediction);
        IReadOnlyList<string> targetTokens = [];
        IReadOnlyList<string> predictionTokens = [];
        if (!(_rougeTypes.Length == 1 && _rougeTypes[0] == "rougeLsum"))
        {
            targetTokens = _tokenizer.Tokenize(target);
            predictionTokens = _tokenizer.Tokenize(prediction);
        }

        var result = new Dictionary<string, RougeScore>(StringComparer.Ordinal);
        foreach (var type in _rougeTypes)
        {
            result[type] = type switch
            {
                "rougeL" => ScoreLcs(targetTokens, predictionTokens),
                "rougeLsum" => ScoreSummaryLevelLcs(SentenceTokens(target), SentenceTokens(prediction)),
                _ => ScoreNGrams(targetTokens, predictionTokens, type[5] - '0'),
            };
        }

        return result;
    }

    /// <summary>
    /// rouge-score's <c>score_multi</c>: for each rouge type, the score against the target with the highest F
    /// (the first such target on ties).
    /// </summary>
    public Dictionary<string, RougeScore> ScoreMulti(IReadOnlyList<string> targets, string prediction)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            throw new MetricException("score_multi needs at least one target, found an empty list (numpy argmax of an empty sequence).");
        }

        var perTarget = targets.Select(t => Score(t, prediction)).ToList();
        var best = new Dictionary<string, RougeScore>(StringComparer.Ordinal);
        foreach (var type in _rougeTypes)
        {
            var bestIndex = 0;
            for (var i = 1; i < perTarget.Count; i++)
            {
                if (perTarget[i][type].FMeasure > perTarget[bestIndex][type].FMeasure)
                {
                    bestIndex = i;
                }
            }

            best[type] = perTarget[bestIndex][type];
        }

        return best;
    }

    private List<IReadOnlyList<string>> SentenceTokens(string text)
    {
        var sentences = _splitSummaries ? PunktLikeSentenceSplitter.Split(text) : [.. text.Split('\n')];
        return [.. sentences.Where(s => s.Length > 0).Select(_tokenizer.Tokenize)];
    }

    private static RougeScore ScoreNGrams(IReadOnlyList<string> target, IReadOnlyList<string> prediction, int n)
    {
        if (n <= 0)
        {
            throw new MetricException($"rougen requires positive n: found rouge{n}.");
        }

        var targetCounts = CountNGrams(target, n);
        var predictionCounts = CountNGrams(prediction, n);
        var intersection = 0;
        foreach (var (gram, count) in targetCounts)
        {
            intersection += Math.Min(count, predictionCounts.GetValueOrDefault(gram));
        }

        var targetTotal = Math.Max(target.Count - n + 1, 0);
        var predictionTotal = Math.Max(prediction.Count - n + 1, 0);
        return RougeScore.FromPrecisionRecall(
            (double)intersection / Math.Max(predictionTotal, 1),
            (double)intersection / Math.Max(targetTotal, 1));
    }

    private static Dictionary<string, int> CountNGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            // Length-prefixed parts make the key unambiguous whatever characters the tokens contain.
            var key = string.Concat(tokens.Skip(i).Take(n).Select(t => $"{t.Length}:{t}"));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static RougeScore ScoreLcs(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        if (target.Count == 0 || prediction.Count == 0)
        {
            return default;
        }

        var table = LcsTable(target, prediction);
        var lcs = table[target.Count, prediction.Count];
        return RougeScore.FromPrecisionRecall((double)lcs / prediction.Count, (double)lcs / target.Count);
    }

    private static RougeScore ScoreSummaryLevelLcs(List<IReadOnlyList<string>> targetSentences,
        List<IReadOnlyList<string>> predictionSentences)
    {
        if (targetSentences.Count == 0 || predictionSentences.Count == 0)
        {
            return default;
        }

        var m = targetSentences.Sum(s => s.Count);
        var n = predictionSentences.Sum(s => s.Count);
        if (m == 0 || n == 0)
        {
            return default;
        }

        var targetCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var predictionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in targetSentences.SelectMany(s => s))
        {
            targetCounts[token] = targetCounts.GetValueOrDefault(token) + 1;
        }

        foreach (var token in predictionSentences.SelectMany(s => s))
        {
            predictionCounts[token] = predictionCounts.GetValueOrDefault(token) + 1;
        }

        var hits = 0;
        foreach (var reference in targetSentences)
        {
            var union = new SortedSet<int>();
            foreach (var candidate in predictionSentences)
            {
                union.UnionWith(LcsIndices(reference, candidate));
            }

            foreach (var index in union)
            {
                var token = reference[index];
                if (predictionCounts.GetValueOrDefault(token) > 0 && targetCounts.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    predictionCounts[token]--;
                    targetCounts[token]--;
                }
            }
        }

        return RougeScore.FromPrecisionRecall((double)hits / n, (double)hits / m);
    }

    private static int[,] LcsTable(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var table = new int[reference.Count + 1, candidate.Count + 1];
        for (var i = 1; i <= reference.Count; i++)
        {
            for (var j = 1; j <= candidate.Count; j++)
            {
                table[i, j] = string.Equals(reference[i - 1], candidate[j - 1], StringComparison.Ordinal)
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table;
    }

    /// <summary>Indices into <paramref name="reference"/> of one LCS, chosen by rouge-score's backtracking order.</summary>
    private static List<int> LcsIndices(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var table = LcsTable(reference, candidate);
        var i = reference.Count;
        var j = candidate.Count;
        var indices = new List<int>();
        while (i > 0 && j > 0)
        {
            if (string.Equals(reference[i - 1], candidate[j - 1], StringComparison.Ordinal))
            {
                indices.Add(i - 1);
                i--;
                j--;
            }
            else if (table[i, j - 1] > table[i - 1, j])
            {
                j--;
            }
            else
            {
                i--;
            }
        }

        indices.Reverse();
        return indices;
    }

    [GeneratedRegex("^rouge[0-9]$")]
    private static partial Regex NGramType();
}
