// Diverse beam search's Hamming diversity term (Vijayakumar et al. 2018, "Diverse Beam Search", §4) as HF
// HammingDiversityLogitsProcessor (v4.44): while group g chooses its tokens for a step, every token is penalised by
// diversity_penalty × (how many beams of the groups before g chose it at this step). The first group is unchanged.
namespace Loom.Generation.Processors;

/// <summary>HF <c>diversity_penalty</c>; the strategy supplies the earlier groups' tokens before each group.</summary>
public sealed class HammingDiversityProcessor : ILogitsProcessor
{
    private readonly float _penalty;
    private Dictionary<int, int> _counts = [];

    /// <summary>A strictly positive penalty per earlier-group occurrence.</summary>
    public HammingDiversityProcessor(float penalty)
    {
        if (!(penalty > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "diversity_penalty: expected a float > 0 (0 = off).");
        }

        _penalty = penalty;
    }

    /// <summary>The tokens chosen at the current step by the earlier groups of the input being scored (empty for group 0).</summary>
    public void UseEarlierGroupTokens(IEnumerable<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _counts = tokens.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        foreach (var (token, count) in _counts)
        {
            if ((uint)token < (uint)scores.Length)
            {
                scores[token] -= _penalty * count; // HF: scores − penalty · bincount(previous group tokens)
            }
        }
    }
}
