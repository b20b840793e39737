// Reference followed: Hugging Face transformers docs, "Perplexity of fixed-length models" (strided sliding window).
namespace Loom.Metrics.Perplexity;

/// <summary>
/// Perplexity of a sequence longer than the model's context, by the strided sliding window of the Hugging Face guide
/// "Perplexity of fixed-length models" (transformers docs, <c>perplexity.md</c>): windows of at most
/// <c>maxLength</c> tokens start every <c>stride</c> tokens; each window scores only the tokens not scored by the
/// previous one and uses the rest as context; the first token of the sequence is never scored. With
/// <c>stride == maxLength</c> the windows are disjoint (no overlap, least context).
/// </summary>
public static class SlidingWindowPerplexity
{
    /// <summary>The label marking context positions that are not scored (PyTorch's cross-entropy ignore index).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>Scores <paramref name="inputIds"/> with <paramref name="model"/>.</summary>
    public static PerplexityResult Compute(IReadOnlyList<int> inputIds, int maxLength, int stride, WindowLogProbabilities model)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(model);
        if (maxLength < 2)
        {
            throw new MetricException($"maxLength must be at least 2 (one context and one scored token), found {maxLength}.");
        }

        if (stride < 1 || stride > maxLength)
        {
            throw new MetricException($"stride must be in 1..maxLength ({maxLength}), found {stride}.");
        }

        if (inputIds.Count < 2)
        {
            throw new MetricException($"Perplexity needs at least 2 tokens (the first is never scored), found {inputIds.Count}.");
        }

        double nll = 0;
        var tokens = 0;
        var previousEnd = 0;
        for (var begin = 0; begin < inputIds.Count; begin += stride)
        {
            var end = Math.Min(begin + maxLength, inputIds.Count);
            var targetLength = end - previousEnd;
            var window = inputIds.Skip(begin).Take(end - begin).ToArray();
            var targets = (int[])window.Clone();
            for (var t = 0; t < window.Length - targetLength; t++)
            {
                targets[t] = IgnoreIndex;
            }

            var logProbs = model(window, targets);
            if (logProbs.Length != window.Length - 1)
            {
                throw new MetricException($"The model returned {logProbs.Length} log-probabilities for a window of {window.Length} tokens starting at {begin}: expected {window.Length - 1}.");
            }

            // Position t of the window is predicted from positions < t; position 0 has no prediction.
            for (var t = 1; t < window.Length; t++)
            {
                if (targets[t] != IgnoreIndex)
                {
                    nll -= logProbs[t - 1];
                    tokens++;
                }
            }

            previousEnd = end;
            if (end == inputIds.Count)
            {
                break;
            }
        }

        return new PerplexityResult(Math.Exp(nll / tokens), nll, tokens);
    }
}
