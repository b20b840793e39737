namespace Loom.Core.Tests;

/// <summary>Attention biases against hand-derived values (Press et al. 2022 for ALiBi).</summary>
public class AttentionMasksTests
{
    [Fact]
    public void AlibiSlopesForEightHeadsAreThePapersGeometricSequence()
    {
        var slopes = AttentionMasks.AlibiSlopes(8);

        Assert.Equal([1f / 2, 1f / 4, 1f / 8, 1f / 16, 1f / 32, 1f / 64, 1f / 128, 1f / 256], slopes);
    }

    [Fact]
    public void AlibiPenalisesDistanceOnBothSidesOfTheQuery()
    {
        var bias = AttentionMasks.Alibi([0.5f], 4, 4); // (1, 1, 4, 4)

        // Query 1: keys 0, 1, 2, 3 lie 1, 0, 1, 2 positions away.
        Assert.Equal([-0.5f, 0f, -0.5f, -1f], Row(bias, 1, 4));
        Assert.Equal([-1.5f, -1f, -0.5f, 0f], Row(bias, 3, 4));
    }

    [Fact]
    public void AlibiQueriesSitAtTheEndOfTheCachedKeys()
    {
        var bias = AttentionMasks.Alibi([0.25f], 1, 5); // one new query after four cached keys: (1, 1, 1, 5)

        Assert.Equal([-1f, -0.75f, -0.5f, -0.25f, 0f], Row(bias, 0, 5));
    }

    private static float[] Row(Tensor bias, int query, int keys) => bias.ToArray()[(query * keys)..((query + 1) * keys)];
}
