// Nucleus sampling (Holtzman et al. 2020, "The Curious Case of Neural Text Degeneration") as HF TopPLogitsWarper:
// sort ascending, accumulate the softmax, drop every token whose cumulative probability is ≤ 1 − p (the most likely
// token always survives).
namespace Loom.Generation.Processors;

/// <summary>HF <c>top_p</c>.</summary>
public sealed class TopPWarper : ILogitsProcessor
{
    private readonly float _p;
    private readonly int _minTokensToKeep;

    /// <summary>A nucleus mass in [0, 1]; the <paramref name="minTokensToKeep"/> ≥ 1 most likely tokens always survive.</summary>
    public TopPWarper(float p, int minTokensToKeep = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minTokensToKeep);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "top_p: expected a float in [0, 1].");
        }

        (_p, _minTokensToKeep) = (p, minTokensToKeep);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var probabilities = Softmax.Compute(scores);
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order); // ascending by score
        var cumulative = 0.0;
        for (var rank = 0; rank < order.Length - _minTokensToKeep; rank++)
        {
            cumulative += probabilities[order[rank]];
            if (cumulative <= 1 - _p)
            {
                scores[order[rank]] = float.NegativeInfinity;
            }
        }
    }
}
