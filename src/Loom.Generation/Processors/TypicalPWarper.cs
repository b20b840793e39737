// Locally typical sampling (Meister et al. 2023, "Locally Typical Sampling", TACL) as HF TypicalLogitsWarper (v4.44):
// with H the entropy of softmax(scores), rank the tokens by |−log p − H| (how far their surprisal lies from the expected
// one, most typical first), accumulate their probabilities in that order, and keep the tokens up to and including the
// first whose cumulative mass reaches typical_p (plus every token tied with it); the first min_tokens_to_keep of the
// ranking always survive. Ties in the ranking keep the lower token id first.
namespace Loom.Generation.Processors;

/// <summary>HF <c>typical_p</c>.</summary>
public sealed class TypicalPWarper : ILogitsProcessor
{
    private readonly float _mass;
    private readonly int _minTokensToKeep;

    /// <summary>A typical mass in (0, 1); at least <paramref name="minTokensToKeep"/> ≥ 1 tokens survive.</summary>
    public TypicalPWarper(float mass, int minTokensToKeep = 1)
    {
        if (!(mass > 0 && mass < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(mass), mass, "typical_p: expected a float in (0, 1) (1 = off).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minTokensToKeep);
        (_mass, _minTokensToKeep) = (mass, minTokensToKeep);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var probabilities = Softmax.Compute(scores);
        var entropy = 0.0;
        foreach (var p in probabilities)
        {
            entropy -= p > 0 ? p * Math.Log(p) : 0; // nansum: −∞ scores add nothing
        }

        var distance = new double[scores.Length]; // |−log p − H|, +∞ for removed tokens
        for (var i = 0; i < distance.Length; i++)
        {
            distance[i] = probabilities[i] > 0 ? Math.Abs(-Math.Log(probabilities[i]) - entropy) : double.PositiveInfinity;
        }

        var order = Enumerable.Range(0, scores.Length).OrderBy(i => distance[i]).ThenBy(i => i).ToArray();
        var cumulative = 0.0;
        var below = 0; // HF last_ind: how many prefix sums stay under the mass
        foreach (var token in order)
        {
            cumulative += probabilities[token];
            if (cumulative < _mass)
            {
                below++;
            }
        }

        var threshold = distance[order[Math.Min(below, order.Length - 1)]];
        for (var rank = _minTokensToKeep; rank < order.Length; rank++)
        {
            if (distance[order[rank]] > threshold)
            {
                scores[order[rank]] = float.NegativeInfinity;
            }
        }
    }
}
