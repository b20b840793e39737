using Loom.Generation.Processors;

namespace Loom.Generation.Tests;

/// <summary>Logits processors on small hand-worked rows (expected values derived from HF's documented rules).</summary>
public sealed class ProcessorTests
{
    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerToken()
    {
        float[] scores = [2f, -2f, 4f, 1f];
        new RepetitionPenaltyProcessor(2f).Process([0, 1, 1], 1, scores);
        Assert.Equal([1f, -4f, 4f, 1f], scores);
    }

    [Fact]
    public void PresenceAndFrequencyCountOnlyGeneratedTokens()
    {
        float[] scores = [0f, 0f, 0f];
        new PresenceFrequencyPenaltyProcessor(0.5f, 1f).Process([0, 2, 2], 1, scores);
        Assert.Equal([0f, 0f, -2.5f], scores);
    }

    [Fact]
    public void NoRepeatNGramBansTheTokenThatWouldRepeatABigram()
    {
        float[] scores = [0f, 0f, 0f, 0f];
        new NoRepeatNGramProcessor(2).Process([1, 2, 3, 1], 0, scores);
        Assert.Equal([0f, 0f, float.NegativeInfinity, 0f], scores);
    }

    [Fact]
    public void MinNewTokensBlocksEosUntilEnoughAreGenerated()
    {
        var processor = new MinLengthProcessor([3], minLength: 0, minNewTokens: 2);
        float[] early = [0f, 0f, 0f, 0f];
        processor.Process([5, 6, 7], 2, early);
        float[] late = [0f, 0f, 0f, 0f];
        processor.Process([5, 6, 7, 8], 2, late);
        Assert.Equal(float.NegativeInfinity, early[3]);
        Assert.Equal(0f, late[3]);
    }

    [Fact]
    public void BadWordsBanTheLastTokenAfterItsPrefix()
    {
        float[] scores = [0f, 0f, 0f, 0f];
        new BadWordsProcessor([[3], [1, 2]]).Process([0, 1], 0, scores);
        Assert.Equal([0f, 0f, float.NegativeInfinity, float.NegativeInfinity], scores);
    }

    [Fact]
    public void ForcedEosFiresOnlyOnTheLastPosition()
    {
        var processor = ForcedTokenProcessor.Eos(1, maxLength: 4);
        float[] before = [3f, 0f, 2f];
        processor.Process([9, 9], 1, before);
        float[] last = [3f, 0f, 2f];
        processor.Process([9, 9, 9], 1, last);
        Assert.Equal([3f, 0f, 2f], before);
        Assert.Equal([float.NegativeInfinity, 0f, float.NegativeInfinity], last);
    }

    [Fact]
    public void TopKKeepsTiesWithTheKthScore()
    {
        float[] scores = [1f, 3f, 2f, 2f, 0f];
        new TopKWarper(2).Process([], 0, scores);
        Assert.Equal([float.NegativeInfinity, 3f, 2f, 2f, float.NegativeInfinity], scores);
    }

    [Fact]
    public void TopPKeepsTheSmallestSetAboveTheMass()
    {
        // Probabilities (1, 2, 4, 8)/15; ascending cumulative sums 1/15, 3/15, 7/15. HF drops a token where that sum is
        // ≤ 1 − p = 0.4: tokens 0 and 1 go, token 2 (7/15 > 0.4) and token 3 stay.
        float[] scores = [0f, MathF.Log(2), MathF.Log(4), MathF.Log(8)];
        new TopPWarper(0.6f).Process([], 0, scores);
        Assert.True(float.IsNegativeInfinity(scores[0]) && float.IsNegativeInfinity(scores[1]));
        Assert.False(float.IsNegativeInfinity(scores[2]) || float.IsNegativeInfinity(scores[3]));
    }

    [Fact]
    public void MinPDropsTokensBelowTheScaledTopProbability()
    {
        float[] scores = [0f, MathF.Log(2), MathF.Log(8)];
        new MinPWarper(0.2f).Process([], 0, scores);
        Assert.True(float.IsNegativeInfinity(scores[0]));
        Assert.False(float.IsNegativeInfinity(scores[1]));
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemperatureWarper(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopPWarper(1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepetitionPenaltyProcessor(-1f));
        Assert.Throws<ArgumentException>(() => new BadWordsProcessor([[]]));
    }
}
