using Loom.Core;
using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class LengthBucketerTests
{
    [Fact]
    public void EveryIndexOnceAndMuchLessPaddingThanRandomBatches()
    {
        var rng = new Generator(1);
        var lengths = Enumerable.Range(0, 2000).Select(_ => 1 + rng.NextInt(200)).ToArray();
        var batches = LengthBucketer.Batches(lengths, 16, new Generator(2));
        Assert.Equal(Enumerable.Range(0, 2000), batches.SelectMany(b => b).Order());
        Assert.All(batches.SkipLast(1), b => Assert.True(b.Length <= 16));

        static long Padding(IEnumerable<int[]> batches, int[] lengths) =>
            batches.Sum(b => b.Sum(i => (long)(b.Max(j => lengths[j]) - lengths[i])));

        var bucketed = Padding(batches, lengths);
        var random = Padding(new ShuffleSampler(2000, 3).NextBatch(2000).Chunk(16), lengths);
        // Random batches of uniform lengths 1..200 waste about 2/3 of the mean length per token; sorted mega-batches of
        // 800 leave gaps of about 200/800·16 ≈ 4 — the bucketed padding must be at least 10× smaller.
        Assert.True(bucketed * 10 < random, $"bucketed padding {bucketed}, random {random}");
    }

    [Fact]
    public void SameSeedSameBatches() =>
        Assert.Equal(
            LengthBucketer.Batches([5, 3, 9, 1, 7, 2, 8], 2, new Generator(4)),
            LengthBucketer.Batches([5, 3, 9, 1, 7, 2, 8], 2, new Generator(4)));
}
