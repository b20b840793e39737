// Deterministic epoch shuffling with a resumable position. Each epoch's order is a Fisher–Yates permutation
// (Knuth, TAOCP vol. 2, algorithm P) drawn from a Loom.Core.Generator seeded by (seed, epoch), so the order of any epoch
// can be rebuilt from the seed alone and a restored sampler continues exactly where the saved one stopped.
using Loom.Core;

namespace Loom.Training.Data;

/// <summary>Hands out the indices 0..count−1 in a fresh seeded random order every epoch, forever.</summary>
public sealed class ShuffleSampler
{
    private int[] _order;

    /// <summary>Starts at epoch 0, position 0.</summary>
    public ShuffleSampler(int count, ulong seed)
        : this(new SamplerState(seed, count, 0, 0))
    {
    }

    /// <summary>Continues from a saved <paramref name="state"/>.</summary>
    public ShuffleSampler(SamplerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(state.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(state.Epoch);
        if (state.Position < 0 || state.Position > state.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(state), $"Sampler state: expected a position in [0, {state.Count}]; found {state.Position}.");
        }

        Seed = state.Seed;
        Count = state.Count;
        Epoch = state.Epoch;
        Position = state.Position;
        _order = EpochOrder(Seed, Count, Epoch);
    }

    /// <summary>The seed of every epoch's order.</summary>
    public ulong Seed { get; }

    /// <summary>Number of items.</summary>
    public int Count { get; }

    /// <summary>Current epoch (0-based).</summary>
    public int Epoch { get; private set; }

    /// <summary>Indices of the current epoch already handed out.</summary>
    public int Position { get; private set; }

    /// <summary>The position to save.</summary>
    public SamplerState State => new(Seed, Count, Epoch, Position);

    /// <summary>The next index; after the last index of an epoch the next epoch starts with a new order.</summary>
    public int Next()
    {
        if (Position == Count)
        {
            Epoch++;
            Position = 0;
            _order = EpochOrder(Seed, Count, Epoch);
        }

        return _order[Position++];
    }

    /// <summary>The next <paramref name="size"/> indices (a batch may span an epoch boundary).</summary>
    public int[] NextBatch(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var batch = new int[size];
        for (var i = 0; i < size; i++)
        {
            batch[i] = Next();
        }

        return batch;
    }

    /// <summary>
    /// The next <paramref name="size"/> indices of the current epoch, or fewer when the epoch ends first (PyTorch's
    /// DataLoader without drop_last): an epoch of N items is ⌈N / size⌉ batches and shows every item exactly once.
    /// </summary>
    public int[] NextBatchInEpoch(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var remaining = Position == Count ? Count : Count - Position;
        return NextBatch(Math.Min(size, remaining));
    }

    /// <summary>The order of epoch <paramref name="epoch"/>: a permutation of 0..count−1 fixed by (seed, epoch).</summary>
    public static int[] EpochOrder(ulong seed, int count, int epoch)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Permute(order, new Generator(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1))));
        return order;
    }

    /// <summary>Shuffles <paramref name="items"/> in place with Fisher–Yates.</summary>
    public static void Permute<T>(T[] items, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(rng);
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
