// Reference followed: huggingface/evaluate metrics/perplexity/perplexity.py (per-sequence exp(mean NLL), mean of those).
using Loom.Metrics.Text;

namespace Loom.Metrics.Perplexity;

/// <summary>
/// Perplexity from precomputed token log-probabilities (natural log), with the aggregation of huggingface/evaluate
/// <c>metrics/perplexity/perplexity.py</c>: per sequence <c>exp(−mean log p)</c> over its (unmasked) tokens, and
/// <see cref="MeanPerplexity"/> = the arithmetic mean of those; the token-weighted corpus perplexity is given too.
/// </summary>
public static class TokenPerplexity
{
    /// <summary>Per-sequence perplexities.</summary>
    public static double[] PerSequence(IReadOnlyList<IReadOnlyList<double>> logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        var result = new double[logProbabilities.Count];
        for (var s = 0; s < result.Length; s++)
        {
            var sequence = logProbabilities[s];
            if (sequence.Count == 0)
            {
                throw new MetricException($"Sequence {s} has no scored token: perplexity is undefined (0/0).");
            }

            result[s] = Math.Exp(-sequence.Sum() / sequence.Count);
        }

        return result;
    }

    /// <summary>Arithmetic mean of the per-sequence perplexities (evaluate's <c>mean_perplexity</c>).</summary>
    public static double MeanPerplexity(IReadOnlyList<IReadOnlyList<double>> logProbabilities)
    {
        var perSequence = PerSequence(logProbabilities);
        if (perSequence.Length == 0)
        {
            throw new MetricException("Perplexity needs at least one sequence, found none.");
        }

        return NumpySum.Mean(perSequence);
    }

    /// <summary>Token-weighted corpus perplexity: <c>exp(−Σ log p / N)</c> over all tokens of all sequences.</summary>
    public static PerplexityResult Corpus(IReadOnlyList<IReadOnlyList<double>> logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(logProbabilities);
        var nll = -logProbabilities.Sum(s => s.Sum());
        var count = logProbabilities.Sum(s => s.Count);
        if (count == 0)
        {
            throw new MetricException("Perplexity needs at least one scored token, found none.");
        }

        return new PerplexityResult(Math.Exp(nll / count), nll, count);
    }
}
