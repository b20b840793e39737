using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class ShuffleSamplerTests
{
    [Fact]
    public void EveryEpochIsAPermutationAndEpochsDiffer()
    {
        var sampler = new ShuffleSampler(1000, seed: 7);
        var first = sampler.NextBatch(1000);
        var second = sampler.NextBatch(1000);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.Equal(Enumerable.Range(0, 1000), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 1000), first);
        Assert.Equal(1, sampler.Epoch);
    }

    [Fact]
    public void SameSeedSameOrderOtherSeedOtherOrder()
    {
        Assert.Equal(new ShuffleSampler(500, 3).NextBatch(1200), new ShuffleSampler(500, 3).NextBatch(1200));
        Assert.NotEqual(new ShuffleSampler(500, 3).NextBatch(500), new ShuffleSampler(500, 4).NextBatch(500));
    }

    [Fact]
    public void RestoredStateGivesTheIdenticalRemainingOrder()
    {
        var uninterrupted = new ShuffleSampler(257, 11).NextBatch(257 * 3);
        var sampler = new ShuffleSampler(257, 11);
        var head = sampler.NextBatch(300); // stops inside epoch 1
        var saved = sampler.State;
        Assert.Equal(new SamplerState(11, 257, 1, 43), saved);
        var resumed = new ShuffleSampler(saved).NextBatch(257 * 3 - 300);
        Assert.Equal(uninterrupted, head.Concat(resumed));
    }

    [Fact]
    public void BatchesWithinAnEpochStopAtItsEndAndTheNextBatchStartsTheNextEpoch()
    {
        var sampler = new ShuffleSampler(7, seed: 2);
        int[][] batches = [sampler.NextBatchInEpoch(3), sampler.NextBatchInEpoch(3), sampler.NextBatchInEpoch(3), sampler.NextBatchInEpoch(3)];
        Assert.Equal([3, 3, 1, 3], batches.Select(b => b.Length));
        Assert.Equal(ShuffleSampler.EpochOrder(2, 7, 0), batches[..3].SelectMany(b => b));
        Assert.Equal(ShuffleSampler.EpochOrder(2, 7, 1)[..3], batches[3]);
        Assert.Equal(new SamplerState(2, 7, 1, 3), sampler.State);
    }

    [Fact]
    public void InvalidStateThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffleSampler(new SamplerState(1, 10, 0, 11)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffleSampler(0, 1));
    }
}
