// Top-k sampling (Fan et al. 2018, "Hierarchical Neural Story Generation") as HF TopKLogitsWarper: every score below
// the k-th largest becomes −∞ (ties with the k-th survive).
namespace Loom.Generation.Processors;

/// <summary>HF <c>top_k</c>.</summary>
public sealed class TopKWarper : ILogitsProcessor
{
    private readonly int _k;

    /// <summary>
    /// Keeps the <paramref name="k"/> ≥ 1 best tokens, or <paramref name="minTokensToKeep"/> when that is more (HF raises
    /// it to 1 + the number of EOS ids in beam sampling).
    /// </summary>
    public TopKWarper(int k, int minTokensToKeep = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minTokensToKeep);
        _k = Math.Max(k, minTokensToKeep);
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var k = Math.Min(_k, scores.Length);
        var sorted = scores.ToArray();
        Array.Sort(sorted, (a, b) => b.CompareTo(a));
        var threshold = sorted[k - 1];
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] < threshold)
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }
}
