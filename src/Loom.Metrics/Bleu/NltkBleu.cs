// BLEU as nltk 3.8 computes it (nltk/translate/bleu_score.py: sentence_bleu, corpus_bleu, modified_precision,
// closest_ref_length, brevity_penalty), itself after Papineni et al. (2002). Scores are bp * exp(fsum(w * log p))
// over the orders with p > 0, using Python's exactly rounded math.fsum and exact Fractions where nltk keeps them.
using System.Numerics;
using System.Text;

namespace Loom.Metrics.Bleu;

/// <summary>nltk-compatible sentence and corpus BLEU over pre-tokenized text.</summary>
public static class NltkBleu
{
    /// <summary>nltk's default weights (0.25, 0.25, 0.25, 0.25).</summary>
    public static IReadOnlyList<double> UniformWeights { get; } = [0.25, 0.25, 0.25, 0.25];

    /// <summary><c>sentence_bleu(references, hypothesis, ...)</c>.</summary>
    public static NltkBleuResult Sentence(IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<string> hypothesis,
        IReadOnlyList<IReadOnlyList<double>>? weights = null, NltkSmoothing? smoothing = null, bool autoReweigh = false) =>
        Corpus([references], [hypothesis], weights, smoothing, autoReweigh);

    /// <summary><c>corpus_bleu(list_of_references, hypotheses, ...)</c>; one score per weight vector.</summary>
    public static NltkBleuResult Corpus(IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> listOfReferences,
        IReadOnlyList<IReadOnlyList<string>> hypotheses, IReadOnlyList<IReadOnlyList<double>>? weights = null,
        NltkSmoothing? smoothing = null, bool autoReweigh = false)
    {
        if (listOfReferences.Count != hypotheses.Count)
        {
            throw new MetricException(
                $"nltk corpus_bleu: expected one reference list per hypothesis, found {listOfReferences.Count} for {hypotheses.Count}.");
        }
        weights ??= [UniformWeights];
        var maxOrder = weights.Max(w => w.Count);
        var numerators = new BigInteger[maxOrder];
        var denominators = new BigInteger[maxOrder];
        int hypLengths = 0, refLengths = 0;
        for (var s = 0; s < hypotheses.Count; s++)
        {
            if (listOfReferences[s].Count == 0)
            {
                throw new MetricException($"nltk corpus_bleu: segment {s} has no reference (min() of an empty sequence).");
            }
            for (var n = 1; n <= maxOrder; n++)
            {
                var p = ModifiedPrecision(listOfReferences[s], hypotheses[s], n);
                numerators[n - 1] += p.Numerator;
                denominators[n - 1] += p.Denominator;
            }
            hypLengths += hypotheses[s].Count;
            refLengths += ClosestReferenceLength(listOfReferences[s], hypotheses[s].Count);
        }
        var bp = BrevityPenalty(refLengths, hypLengths);
        var precisions = Enumerable.Range(0, maxOrder).Select(i => ((long)numerators[i], (long)denominators[i])).ToList();
        if (numerators[0].IsZero)
        {
            return new NltkBleuResult(weights.Select(_ => 0.0).ToList(), precisions, hypLengths, refLengths, bp);
        }
        var pn = Enumerable.Range(0, maxOrder).Select(i => PyNumber.RawFraction(numerators[i], denominators[i])).ToArray();
        (smoothing ?? new NltkSmoothing(0)).Apply(pn, listOfReferences[^1], hypotheses[^1], hypLengths);

        var scores = new List<double>();
        foreach (var weight in weights)
        {
            var w = weight;
            if (autoReweigh && hypLengths < 4 && w.SequenceEqual(UniformWeights))
            {
                w = Enumerable.Repeat(1.0 / hypLengths, hypLengths).ToList();
            }
            var terms = new List<double>();
            for (var i = 0; i < Math.Min(w.Count, pn.Length); i++)
            {
                if (pn[i].Sign > 0)
                {
                    terms.Add(w[i] * Math.Log(pn[i].ToDouble()));
                }
            }
            scores.Add(bp * Math.Exp(PyMath.Fsum(terms)));
        }
        return new NltkBleuResult(scores, precisions, hypLengths, refLengths, bp);
    }

    /// <summary><c>modified_precision(references, hypothesis, n)</c> as an unnormalised Fraction.</summary>
    public static PyNumber ModifiedPrecision(IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<string> hypothesis, int n)
    {
        var counts = Ngrams(hypothesis, n);
        var maxCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var referenceCounts = Ngrams(reference, n);
            foreach (var ngram in counts.Keys)
            {
                maxCounts[ngram] = Math.Max(maxCounts.GetValueOrDefault(ngram), referenceCounts.GetValueOrDefault(ngram));
            }
        }
        long numerator = 0, total = 0;
        foreach (var (ngram, count) in counts)
        {
            numerator += Math.Min(count, maxCounts.GetValueOrDefault(ngram));
            total += count;
        }
        return PyNumber.RawFraction(numerator, Math.Max(1, total));
    }

    /// <summary>The reference length closest to <paramref name="hypLength"/> (ties: the shorter).</summary>
    public static int ClosestReferenceLength(IReadOnlyList<IReadOnlyList<string>> references, int hypLength) =>
        references.Select(r => r.Count).MinBy(len => (Math.Abs(len - hypLength), len));

    /// <summary>nltk <c>brevity_penalty(closest_ref_len, hyp_len)</c>.</summary>
    public static double BrevityPenalty(int closestRefLength, int hypLength) =>
        hypLength > closestRefLength ? 1 : hypLength == 0 ? 0 : Math.Exp(1 - (double)closestRefLength / hypLength);

    // Keys encode each token with its length, so tokens containing spaces cannot collide.
    private static Dictionary<string, int> Ngrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            sb.Clear();
            for (var j = i; j < i + n; j++)
            {
                sb.Append(tokens[j].Length).Append(':').Append(tokens[j]);
            }
            var key = sb.ToString();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
