// Nucleus sampling (Holtzman et al. 2020, "The Curious Case of Neural Text Degeneration") as HF TopPLogitsWarper:
// sort ascending, accumulate the softmax, drop every token whose cumulative probability is ≤ 1 − p (the most likely
// token always survives).
using System.Buffers;

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
        var n = scores.Length;
        var (probabilityScratch, orderScratch, keyScratch) = (ArrayPool<double>.Shared.Rent(n), ArrayPool<int>.Shared.Rent(n), ArrayPool<float>.Shared.Rent(n));
        try
        {
            var probabilities = probabilityScratch.AsSpan(0, n);
            var order = orderScratch.AsSpan(0, n);
            var keys = keyScratch.AsSpan(0, n);
            Softmax.Compute(scores, probabilities);
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }

            scores.CopyTo(keys);
            keys.Sort(order); // ascending by score
            var cumulative = 0.0;
            for (var rank = 0; rank < n - _minTokensToKeep; rank++)
            {
                cumulative += probabilities[order[rank]];
                if (cumulative <= 1 - _p)
                {
                    scores[order[rank]] = float.NegativeInfinity;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(probabilityScratch);
            ArrayPool<int>.Shared.Return(orderScratch);
            ArrayPool<float>.Shared.Return(keyScratch);
        }
    }
}
