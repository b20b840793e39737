// Min-p sampling (Nguyen et al. 2024, "Turning Up the Heat: Min-p Sampling") as HF MinPLogitsWarper: tokens whose
// probability is below min_p × the top probability become −∞.
namespace Loom.Generation.Processors;

/// <summary>HF <c>min_p</c>.</summary>
public sealed class MinPWarper : ILogitsProcessor
{
    private readonly float _minP;

    /// <summary>A relative threshold in [0, 1].</summary>
    public MinPWarper(float minP)
    {
        if (!(minP >= 0 && minP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minP), minP, "min_p: expected a float in [0, 1].");
        }

        _minP = minP;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var probabilities = Softmax.Compute(scores);
        var threshold = _minP * probabilities.Max();
        for (var i = 0; i < scores.Length; i++)
        {
            if (probabilities[i] < threshold)
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }
}
