using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void SplitIsADisjointSeededPartition()
    {
        var items = Enumerable.Range(0, 1000).ToArray();
        var (train, validation) = DataSplit.TrainValidation(items, 0.1, seed: 9);
        Assert.Equal(100, validation.Count);
        Assert.Equal(900, train.Count);
        Assert.Equal(items, train.Concat(validation).Order());
        Assert.Equal(train.Order(), train); // original relative order kept
        Assert.NotEqual(Enumerable.Range(900, 100), validation); // not simply the tail
        Assert.Equal(validation, DataSplit.TrainValidation(items, 0.1, seed: 9).Validation);
        Assert.NotEqual(validation, DataSplit.TrainValidation(items, 0.1, seed: 10).Validation);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.TrainValidation(items, 1.5, 1));
    }

    [Fact]
    public void ShardsPartitionAStream()
    {
        var items = Enumerable.Range(0, 10);
        Assert.Equal([1, 4, 7], DataSplit.Shard(items, 1, 3));
        Assert.Equal(items, Enumerable.Range(0, 3).SelectMany(s => DataSplit.Shard(items, s, 3)).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Shard(items, 3, 3));
    }
}
