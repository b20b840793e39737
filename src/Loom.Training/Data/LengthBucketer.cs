// Length bucketing (as in fairseq's batch_by_size and HF's LengthGroupedSampler): shuffle all indices, cut them into
// mega-batches of `batchSize × megaBatchFactor`, sort each mega-batch by length (longest first), cut into batches and
// shuffle the batch order — similar lengths share a batch (little padding) while the order stays random.
using Loom.Core;

namespace Loom.Training.Data;

/// <summary>Groups examples of similar length into batches.</summary>
public static class LengthBucketer
{
    /// <summary>
    /// Batches of indices into <paramref name="lengths"/> (the last may be smaller); every index appears exactly once.
    /// </summary>
    public static IReadOnlyList<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, Generator rng, int megaBatchFactor = 50)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(megaBatchFactor);
        var indices = Enumerable.Range(0, lengths.Count).ToArray();
        ShuffleSampler.Permute(indices, rng);
        var megaSize = batchSize * megaBatchFactor;
        var batches = new List<int[]>();
        for (var start = 0; start < indices.Length; start += megaSize)
        {
            var mega = indices[start..Math.Min(start + megaSize, indices.Length)];
            // Stable: equal lengths keep their shuffled order.
            var sorted = mega.OrderByDescending(i => lengths[i]).ToArray();
            for (var b = 0; b < sorted.Length; b += batchSize)
            {
                batches.Add(sorted[b..Math.Min(b + batchSize, sorted.Length)]);
            }
        }

        var order = batches.ToArray();
        ShuffleSampler.Permute(order, rng);
        return order;
    }
}
