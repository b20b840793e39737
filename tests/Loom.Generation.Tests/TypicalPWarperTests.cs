using Loom.Generation.Processors;

namespace Loom.Generation.Tests;

/// <summary>
/// Typical-p on a hand-worked distribution and the min_tokens_to_keep floor of the sampling warpers. Scores are log
/// probabilities of p = (1/2, 1/4, 1/8, 1/8): entropy H = 1.75 ln 2, surprisals (1, 2, 3, 3) ln 2, so the distances
/// |−log p − H| are (0.75, 0.25, 1.25, 1.25) ln 2 and the typical ranking is token 1, 0, then 2 and 3 (tied), with
/// cumulative mass 0.25, 0.75, 0.875, 1.
/// </summary>
public sealed class TypicalPWarperTests
{
    private static float[] Scores() => [MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(0.125f), MathF.Log(0.125f)];

    private static readonly float Cut = float.NegativeInfinity;

    [Theory]
    [InlineData(0.2f, 1, new[] { false, true, false, false })] // no prefix reaches 0.2: only the most typical token, 1 (not the likeliest)
    [InlineData(0.5f, 1, new[] { true, true, false, false })] // 0.25 < 0.5 ≤ 0.75: tokens 1 and 0
    [InlineData(0.8f, 1, new[] { true, true, true, true })] // reaches 0.875 at token 2; token 3 ties with it and stays
    [InlineData(0.2f, 2, new[] { true, true, false, false })] // the first two of the ranking always survive
    [InlineData(0.2f, 3, new[] { true, true, true, false })] // the third of the ranking is token 2 (lower id first among ties)
    public void TypicalPKeepsTheMostTypicalTokensUpToTheMass(float mass, int minTokensToKeep, bool[] kept)
    {
        var scores = Scores();
        var original = Scores();
        new TypicalPWarper(mass, minTokensToKeep).Process([], 0, scores);
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(kept[i] ? original[i] : Cut, scores[i]);
        }
    }

    [Fact]
    public void TypicalPIgnoresTokensAlreadyRemoved()
    {
        // Token 3 removed: p = (4/7, 2/7, 1/7) over tokens 0..2, H = ln 7 − (10/7) ln 2 ≈ 0.9557; surprisals ln 7 − k ln 2
        // for k = 2, 1, 0 give distances 0.3961, 0.2971, 0.9902 (tokens 0, 1, 2): ranking 1, 0, 2 with mass 2/7, 6/7, 1.
        float[] Fresh() => [MathF.Log(4f), MathF.Log(2f), 0f, Cut];
        var half = Fresh();
        new TypicalPWarper(0.5f).Process([], 0, half);
        Assert.Equal([MathF.Log(4f), MathF.Log(2f), Cut, Cut], half);
        var small = Fresh();
        new TypicalPWarper(0.2f).Process([], 0, small);
        Assert.Equal([Cut, MathF.Log(2f), Cut, Cut], small);
    }

    [Fact]
    public void TypicalPRejectsAMassOutsideTheOpenInterval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TypicalPWarper(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TypicalPWarper(1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TypicalPWarper(0.5f, 0));
    }

    [Fact]
    public void MinTokensToKeepRaisesTheFloorOfTopKTopPAndMinP()
    {
        float[] topK = [4f, 3f, 2f, 1f];
        new TopKWarper(1, minTokensToKeep: 2).Process([], 0, topK);
        Assert.Equal([4f, 3f, Cut, Cut], topK);

        float[] topP = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];
        new TopPWarper(0.1f, minTokensToKeep: 3).Process([], 0, topP); // alone, 0.1 keeps token 0 only
        Assert.Equal([MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), Cut], topP);

        var minP = Scores();
        new MinPWarper(0.9f, minTokensToKeep: 2).Process([], 0, minP); // alone, 0.9 × 1/2 keeps token 0 only
        Assert.Equal([MathF.Log(0.5f), MathF.Log(0.25f), Cut, Cut], minP);
    }
}
