// Min-p sampling (Nguyen et al. 2024, "Turning Up the Heat: Min-p Sampling") as HF MinPLogitsWarper: tokens whose
// probability is below min_p × the top probability become −∞.
namespace Loom.Generation.Processors;

/// <summary>HF <c>min_p</c>.</summary>
public sealed class MinPWarper : ILogitsProcessor
{
    private readonly float _minP;
    private readonly int _minTokensToKeep;

    /// <summary>A relative threshold in [0, 1]; the <paramref name="minTokensToKeep"/> ≥ 1 best tokens always survive.</summary>
    public MinPWarper(float minP, int minTokensToKeep = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minTokensToKeep);
        if (!(minP >= 0 && minP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minP), minP, "min_p: expected a float in [0, 1].");
        }

        (_minP, _minTokensToKeep) = (minP, minTokensToKeep);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var probabilities = Softmax.Compute(scores);
        var threshold = _minP * probabilities.Max();
        // The most likely token always passes the threshold; only a larger minimum needs the ranking.
        var best = _minTokensToKeep == 1 ? [] : Enumerable.Range(0, scores.Length)
            .OrderByDescending(i => probabilities[i]).ThenBy(i => i).Take(_minTokensToKeep).ToHashSet();
        for (var i = 0; i < scores.Length; i++)
        {
            if (probabilities[i] < threshold && !best.Contains(i))
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }
}
