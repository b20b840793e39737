// chrF (Popović 2015, "chrF: character n-gram F-score for automatic MT evaluation") and chrF++ (Popović 2017,
// "chrF++: words helping character n-grams") exactly as sacrebleu 2.6.0 computes them.
// Reference: sacrebleu/metrics/chrf.py (`_remove_punctuation`, `_get_match_statistics`, `_compute_f_score`,
// best-F reference choice) and sacrebleu/metrics/helpers.py (`extract_all_char_ngrams`).
using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Chrf;

/// <summary>sacrebleu-compatible corpus and sentence chrF / chrF++.</summary>
public sealed class SacreChrf
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private readonly ChrfOptions _options;

    /// <summary>Creates a scorer; throws for non-positive orders.</summary>
    public SacreChrf(ChrfOptions? options = null)
    {
        _options = options ?? new ChrfOptions();
        if (_options.CharOrder < 1 || _options.WordOrder < 0)
        {
            throw new MetricException(
                $"chrF orders: expected CharOrder >= 1 and WordOrder >= 0, found {_options.CharOrder} and {_options.WordOrder}.");
        }
    }

    /// <summary>Sentence chrF of one hypothesis against its references (the best-F reference counts).</summary>
    public ChrfScore SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        CorpusScore([hypothesis], ReferenceStreams.ForSentence(references));

    /// <summary>Corpus chrF; <paramref name="referenceStreams"/>[k][i] is the k-th reference of segment i (null: none).</summary>
    public ChrfScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        var (bySegment, numRefs) = ReferenceStreams.BySegment(hypotheses.Count, referenceStreams);
        var totals = new long[3 * (_options.CharOrder + _options.WordOrder)];
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hypNgrams = ExtractNgrams(Preprocess(hypotheses[i]));
            long[]? best = null;
            var bestF = -1.0;
            foreach (var reference in bySegment[i])
            {
                var refNgrams = ExtractNgrams(Preprocess(reference));
                var stats = new long[totals.Length];
                for (var o = 0; o < hypNgrams.Count; o++)
                {
                    MatchStatistics(hypNgrams[o], refNgrams[o], stats.AsSpan(3 * o, 3));
                }
                var f = FScore(stats);
                if (f > bestF)
                {
                    bestF = f;
                    best = stats;
                }
            }
            for (var k = 0; k < totals.Length; k++)
            {
                totals[k] += best![k];
            }
        }
        var signature = new SacreSignature(numRefs)
            .Add("case", "c", _options.Lowercase ? "lc" : "mixed")
            .Add("eff", "e", SacreSignature.YesNo(!_options.EpsSmoothing))
            .Add("nc", "nc", _options.CharOrder.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("nw", "nw", _options.WordOrder.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("space", "s", SacreSignature.YesNo(_options.Whitespace));
        var name = $"chrF{_options.Beta}" + new string('+', _options.WordOrder);
        return new ChrfScore(FScore(totals), totals, name, signature);
    }

    /// <summary>The F-score (0–100) of flattened [hyp, ref, match] statistics.</summary>
    public double FScore(IReadOnlyList<long> statistics)
    {
        const double eps = 1e-16;
        var order = _options.CharOrder + _options.WordOrder;
        var factor = (double)_options.Beta * _options.Beta;
        var score = 0.0;
        var avgPrec = 0.0;
        var avgRec = 0.0;
        var effectiveOrder = 0;
        for (var i = 0; i < order; i++)
        {
            var nHyp = statistics[3 * i];
            var nRef = statistics[3 * i + 1];
            var nMatch = statistics[3 * i + 2];
            var prec = nHyp > 0 ? (double)nMatch / nHyp : eps;
            var rec = nRef > 0 ? (double)nMatch / nRef : eps;
            var denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (_options.EpsSmoothing)
        {
            return 100 * score / order;
        }
        if (effectiveOrder == 0)
        {
            avgPrec = avgRec = 0.0;
        }
        else
        {
            avgPrec /= effectiveOrder;
            avgRec /= effectiveOrder;
        }
        if (avgPrec + avgRec == 0)
        {
            return 0.0;
        }
        var f = (1 + factor) * avgPrec * avgRec;
        f /= (factor * avgPrec) + avgRec;
        return 100 * f;
    }

    private string Preprocess(string segment) => _options.Lowercase ? PyText.Lower(segment) : segment;

    private List<Dictionary<string, int>> ExtractNgrams(string segment)
    {
        var chars = PyText.CodePoints(_options.Whitespace ? segment : string.Concat(PyText.Split(segment))).ToArray();
        var result = new List<Dictionary<string, int>>();
        for (var n = 1; n <= _options.CharOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i + n <= chars.Length; i++)
            {
                var key = string.Concat(chars.AsSpan(i, n));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            result.Add(counts);
        }
        if (_options.WordOrder > 0)
        {
            var words = SplitPunctuation(segment);
            for (var n = 1; n <= _options.WordOrder; n++)
            {
                result.Add(WordNGrams.Count(words, n));
            }
        }
        return result;
    }

    // sacrebleu `_remove_punctuation`: one trailing (else leading) ASCII punctuation mark becomes its own word.
    private static List<string> SplitPunctuation(string segment)
    {
        var words = new List<string>();
        foreach (var w in PyText.Split(segment))
        {
            if (w.EnumerateRunes().Count() == 1)
            {
                words.Add(w);
            }
            else if (Punctuation.Contains(w[^1], StringComparison.Ordinal))
            {
                words.Add(w[..^1]);
                words.Add(w[^1..]);
            }
            else if (Punctuation.Contains(w[0], StringComparison.Ordinal))
            {
                words.Add(w[..1]);
                words.Add(w[1..]);
            }
            else
            {
                words.Add(w);
            }
        }
        return words;
    }

    private static void MatchStatistics(Dictionary<string, int> hyp, Dictionary<string, int> reference, Span<long> stats)
    {
        long hypCount = 0, matchCount = 0, refCount = 0;
        foreach (var (ngram, count) in hyp)
        {
            hypCount += count;
            if (reference.TryGetValue(ngram, out var r))
            {
                matchCount += Math.Min(count, r);
            }
        }
        foreach (var count in reference.Values)
        {
            refCount += count;
        }
        // sacrebleu does not count hypothesis n-grams when the reference has none of this order.
        stats[0] = reference.Count > 0 ? hypCount : 0;
        stats[1] = refCount;
        stats[2] = matchCount;
    }
}
