// CTRL's repetition penalty (Keskar et al. 2019, §4.1) as HF RepetitionPenaltyLogitsProcessor applies it: every token
// already in the row (prompt included) has a positive score divided by the penalty and a negative one multiplied.
namespace Loom.Generation.Processors;

/// <summary>HF <c>repetition_penalty</c>.</summary>
public sealed class RepetitionPenaltyProcessor : ILogitsProcessor
{
    private readonly float _penalty;

    /// <summary>A penalty θ &gt; 0 (1 = none, &gt; 1 discourages repeats).</summary>
    public RepetitionPenaltyProcessor(float penalty)
    {
        if (!(penalty > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "repetition_penalty: expected a strictly positive float.");
        }

        _penalty = penalty;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var seen = new HashSet<int>();
        foreach (var token in tokens)
        {
            if (seen.Add(token))
            {
                var s = scores[token];
                scores[token] = s < 0 ? s * _penalty : s / _penalty;
            }
        }
    }
}
