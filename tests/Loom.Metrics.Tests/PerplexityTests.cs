using Loom.Metrics.Perplexity;

namespace Loom.Metrics.Tests;

/// <summary>Perplexity aggregation and the strided sliding window, with hand-derived expectations.</summary>
public class PerplexityTests
{
    [Fact]
    public void TokenPerplexityMatchesEvaluateAggregation()
    {
        // Sequence 1: log p = ln 1/2, ln 1/2 -> ppl 2. Sequence 2: ln 1/4 -> ppl 4. Mean (not token weighted) = 3.
        double[][] logProbs = [[Math.Log(0.5), Math.Log(0.5)], [Math.Log(0.25)]];
        var perSequence = TokenPerplexity.PerSequence(logProbs);
        Assert.Equal(2.0, perSequence[0], 12);
        Assert.Equal(4.0, perSequence[1], 12);
        Assert.Equal(3.0, TokenPerplexity.MeanPerplexity(logProbs), 12);
        // Corpus: exp((2 ln 2 + ln 4) / 3) = exp(4 ln 2 / 3) = 2^(4/3).
        Assert.Equal(Math.Pow(2, 4.0 / 3.0), TokenPerplexity.Corpus(logProbs).Perplexity, 12);
    }

    /// <summary>A fake model whose log-probability of a token is −(1 + number of tokens of context in the window).</summary>
    private static double[] ContextCounting(int[] inputIds, int[] targets) =>
        [.. Enumerable.Range(1, inputIds.Length - 1).Select(t => -(1.0 + t))];

    [Fact]
    public void SlidingWindowScoresEachTokenOnceWithOverlappingContext()
    {
        // 6 tokens, maxLength 4, stride 2:
        // window [0,4): scores positions 1,2,3 with 1,2,3 context tokens -> nll 2+3+4 = 9
        // window [2,6): prev_end 4, scores the last 2 positions (window t = 2,3) -> nll 3+4 = 7; end == 6 stops.
        var result = SlidingWindowPerplexity.Compute([10, 11, 12, 13, 14, 15], maxLength: 4, stride: 2, ContextCounting);
        Assert.Equal(5, result.TokenCount);
        Assert.Equal(16.0, result.NegativeLogLikelihood, 12);
        Assert.Equal(Math.Exp(16.0 / 5), result.Perplexity, 12);
    }

    [Fact]
    public void DisjointWindowsLoseContext()
    {
        // stride == maxLength == 3 over 6 tokens: [0,3) scores t=1,2 (nll 2+3), [3,6) scores t=0? no: all 3 targets,
        // but position 0 of a window has no prediction, so t=1,2 (nll 2+3): 4 tokens, nll 10.
        var result = SlidingWindowPerplexity.Compute([1, 2, 3, 4, 5, 6], maxLength: 3, stride: 3, ContextCounting);
        Assert.Equal(4, result.TokenCount);
        Assert.Equal(10.0, result.NegativeLogLikelihood, 12);
    }

    [Fact]
    public void ContextPositionsAreMarkedWithIgnoreIndex()
    {
        var seen = new List<int[]>();
        SlidingWindowPerplexity.Compute([1, 2, 3, 4, 5], maxLength: 4, stride: 2, (ids, targets) =>
        {
            seen.Add(targets);
            return ContextCounting(ids, targets);
        });
        Assert.Equal([1, 2, 3, 4], seen[0]);
        Assert.Equal([SlidingWindowPerplexity.IgnoreIndex, SlidingWindowPerplexity.IgnoreIndex, 5], seen[1]);
    }

    [Fact]
    public void InvalidStrideThrows()
    {
        Assert.Throws<MetricException>(() => SlidingWindowPerplexity.Compute([1, 2, 3], 2, 3, ContextCounting));
    }
}
