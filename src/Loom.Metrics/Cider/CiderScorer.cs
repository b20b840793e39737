// CIDEr (Vedantam, Zitnick & Parikh, 2015, "CIDEr: Consensus-based Image Description Evaluation") and its CIDEr-D
// variant, following the authors' code: vrama91/cider pyciderevalcap/cider/cider_scorer.py (CIDEr, df="corpus",
// via the ruotianluo/cider Python 3 port) and ciderD_scorer.py as shipped in salaniz/pycocoevalcap cider/
// cider_scorer.py (CIDEr-D). Document frequencies come from the references of the evaluated set, idf uses
// log(number of images), tf-idf vectors per n-gram order 1..n, "length" is the number of bigrams, sigma = 6,
// the mean over orders is divided by the number of references and scaled by 10. N-grams are visited in first-
// occurrence order, like the Python dicts, so sums are formed in the reference's order.
using Loom.Metrics.Captioning;
using Loom.Metrics.Text;

namespace Loom.Metrics.Cider;

/// <summary>Corpus CIDEr-D / CIDEr for tokenised captions (any whitespace-separated tokens, e.g. integer ids).</summary>
public static class CiderScorer
{
    /// <summary>Scores <paramref name="examples"/>; returns the numpy mean and the per-image scores.</summary>
    public static CaptionScores Compute(IReadOnlyList<CaptionExample> examples, CiderVariant variant = CiderVariant.CiderD,
        int n = 4, double sigma = 6.0)
    {
        CaptionExample.Validate(examples, variant == CiderVariant.CiderD ? "CIDEr-D" : "CIDEr");
        var hypCounts = examples.Select(e => Count(e.Hypothesis, n)).ToList();
        var refCounts = examples.Select(e => e.References.Select(r => Count(r, n)).ToList()).ToList();

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var refs in refCounts)
        {
            foreach (var ngram in refs.SelectMany(r => r.Keys).Distinct())
            {
                documentFrequency[ngram] = documentFrequency.GetValueOrDefault(ngram) + 1;
            }
        }
        if (documentFrequency.Count == 0)
        {
            throw new MetricException("CIDEr: the references contain no n-gram at all (the reference raises on max() of nothing).");
        }
        var refLength = Math.Log(examples.Count);

        var scores = new double[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var hyp = ToVector(hypCounts[i], documentFrequency, refLength, n);
            var total = new double[n];
            foreach (var refCount in refCounts[i])
            {
                var reference = ToVector(refCount, documentFrequency, refLength, n);
                var similarity = Similarity(hyp, reference, variant, sigma, n);
                for (var k = 0; k < n; k++)
                {
                    total[k] += similarity[k];
                }
            }
            var average = NumpySum.Mean(total);
            average /= refCounts[i].Count;
            average *= 10.0;
            scores[i] = average;
        }
        return new CaptionScores(NumpySum.Mean(scores), scores);
    }

    // n-gram key -> (order index, count), in first-occurrence order per order 1..n.
    private static Dictionary<string, (int Order, int Count)> Count(string caption, int n)
    {
        var words = PyText.Split(caption);
        var counts = new Dictionary<string, (int Order, int Count)>(StringComparer.Ordinal);
        for (var k = 1; k <= n; k++)
        {
            for (var i = 0; i + k <= words.Count; i++)
            {
                var key = string.Join(' ', words.Skip(i).Take(k));
                counts[key] = (k - 1, counts.GetValueOrDefault(key).Count + 1);
            }
        }
        return counts;
    }

    private sealed record TfIdf(Dictionary<string, double>[] Vector, double[] Norm, int Length);

    private static TfIdf ToVector(Dictionary<string, (int Order, int Count)> counts, Dictionary<string, int> documentFrequency,
        double refLength, int n)
    {
        var vector = Enumerable.Range(0, n).Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToArray();
        var norm = new double[n];
        var length = 0;
        foreach (var (ngram, (order, termFrequency)) in counts)
        {
            var df = Math.Log(Math.Max(1.0, documentFrequency.GetValueOrDefault(ngram)));
            var value = termFrequency * (refLength - df);
            vector[order][ngram] = value;
            norm[order] += Math.Pow(value, 2);
            if (order == 1)
            {
                length += termFrequency;
            }
        }
        for (var k = 0; k < n; k++)
        {
            norm[k] = Math.Sqrt(norm[k]);
        }
        return new TfIdf(vector, norm, length);
    }

    private static double[] Similarity(TfIdf hyp, TfIdf reference, CiderVariant variant, double sigma, int n)
    {
        var delta = (double)(hyp.Length - reference.Length);
        var values = new double[n];
        for (var k = 0; k < n; k++)
        {
            foreach (var (ngram, h) in hyp.Vector[k])
            {
                var r = reference.Vector[k].GetValueOrDefault(ngram);
                values[k] += variant == CiderVariant.CiderD ? Math.Min(h, r) * r : h * r;
            }
            if (hyp.Norm[k] != 0 && reference.Norm[k] != 0)
            {
                values[k] /= hyp.Norm[k] * reference.Norm[k];
            }
            if (double.IsNaN(values[k]))
            {
                throw new MetricException($"CIDEr: similarity of order {k + 1} is NaN (the reference asserts it is not).");
            }
            if (variant == CiderVariant.CiderD)
            {
                values[k] *= Math.Pow(Math.E, -(delta * delta) / (2 * sigma * sigma));
            }
        }
        return values;
    }
}
