// Seeded train / validation split and round-robin sharding for data-parallel workers.
using Loom.Core;

namespace Loom.Training.Data;

/// <summary>Train/validation splits and shards.</summary>
public static class DataSplit
{
    /// <summary>
    /// Splits <paramref name="items"/> after a seeded shuffle: the validation part has round(count × fraction) items,
    /// the rest is training data. Both keep the original relative order.
    /// </summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Validation) TrainValidation<T>(IReadOnlyList<T> items, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(validationFraction >= 0 && validationFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"Validation fraction: expected a value in [0, 1]; found {validationFraction}.");
        }

        var indices = Enumerable.Range(0, items.Count).ToArray();
        ShuffleSampler.Permute(indices, new Generator(seed));
        var validationCount = (int)Math.Round(items.Count * validationFraction, MidpointRounding.ToEven);
        var isValidation = new bool[items.Count];
        for (var i = 0; i < validationCount; i++)
        {
            isValidation[indices[i]] = true;
        }

        var train = new List<T>(items.Count - validationCount);
        var validation = new List<T>(validationCount);
        for (var i = 0; i < items.Count; i++)
        {
            (isValidation[i] ? validation : train).Add(items[i]);
        }

        return (train, validation);
    }

    /// <summary>Items i with i mod <paramref name="shardCount"/> = <paramref name="shardIndex"/>, streamed.</summary>
    public static IEnumerable<T> Shard<T>(IEnumerable<T> items, int shardIndex, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        if (shardIndex < 0 || shardIndex >= shardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(shardIndex), $"Shard: expected an index in [0, {shardCount}); found {shardIndex}.");
        }

        return Iterate(items, shardIndex, shardCount);
    }

    private static IEnumerable<T> Iterate<T>(IEnumerable<T> items, int shardIndex, int shardCount)
    {
        var i = 0;
        foreach (var item in items)
        {
            if (i % shardCount == shardIndex)
            {
                yield return item;
            }

            i++;
        }
    }
}
