// Captioning BLEU-1..4 as pycocoevalcap 1.2 computes it: salaniz/pycocoevalcap bleu/bleu.py and
// bleu/bleu_scorer.py (David Chiang's bleu_scorer, modified by Hao Fang and Tsung-Yi Lin), with the "closest"
// reference length, tiny = 1e-15 / small = 1e-9 guards, and per-image scores. Whitespace tokenisation only.
using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Captioning;

/// <summary>pycocoevalcap-compatible corpus and per-image BLEU-1..n.</summary>
public static class CocoBleu
{
    private const double Tiny = 1e-15;
    private const double Small = 1e-9;

    /// <summary>Scores <paramref name="examples"/> with BLEU up to order <paramref name="n"/> (default 4).</summary>
    public static CocoBleuResult Compute(IReadOnlyList<CaptionExample> examples, int n = 4)
    {
        CaptionExample.Validate(examples, "BLEU");
        var perImage = Enumerable.Range(0, n).Select(_ => new List<double>()).ToList();
        var totalGuess = new long[n];
        var totalCorrect = new long[n];
        long testLength = 0, referenceLength = 0;
        foreach (var example in examples)
        {
            var hyp = PyText.Split(example.Hypothesis);
            var refs = example.References.Select(PyText.Split).ToList();
            var reflen = refs.Select(r => r.Count).MinBy(l => (Math.Abs(l - hyp.Count), l));
            testLength += hyp.Count;
            referenceLength += reflen;
            var guess = new long[n];
            var correct = new long[n];
            for (var k = 1; k <= n; k++)
            {
                var maxCounts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var r in refs)
                {
                    foreach (var (ngram, count) in WordNGrams.Count(r, k))
                    {
                        maxCounts[ngram] = Math.Max(maxCounts.GetValueOrDefault(ngram), count);
                    }
                }
                guess[k - 1] = Math.Max(0, hyp.Count - k + 1);
                foreach (var (ngram, count) in WordNGrams.Count(hyp, k))
                {
                    correct[k - 1] += Math.Min(maxCounts.GetValueOrDefault(ngram), count);
                }
                totalGuess[k - 1] += guess[k - 1];
                totalCorrect[k - 1] += correct[k - 1];
            }
            var bleu = 1.0;
            for (var k = 0; k < n; k++)
            {
                bleu *= (correct[k] + Tiny) / (guess[k] + Small);
                perImage[k].Add(Math.Pow(bleu, 1.0 / (k + 1.0)));
            }
            var ratio = (hyp.Count + Tiny) / (reflen + Small);
            if (ratio < 1)
            {
                for (var k = 0; k < n; k++)
                {
                    perImage[k][^1] *= Math.Exp(1 - 1 / ratio);
                }
            }
        }

        var scores = new double[n];
        var corpusBleu = 1.0;
        for (var k = 0; k < n; k++)
        {
            corpusBleu *= (totalCorrect[k] + Tiny) / (totalGuess[k] + Small);
            scores[k] = Math.Pow(corpusBleu, 1.0 / (k + 1));
        }
        var corpusRatio = (testLength + Tiny) / (referenceLength + Small);
        if (corpusRatio < 1)
        {
            for (var k = 0; k < n; k++)
            {
                scores[k] *= Math.Exp(1 - 1 / corpusRatio);
            }
        }
        return new CocoBleuResult(scores, perImage, testLength, referenceLength, totalGuess, totalCorrect, corpusRatio);
    }
}
