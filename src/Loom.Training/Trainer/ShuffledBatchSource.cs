// Epoch-based batching over a fixed list of examples: a ShuffleSampler hands out indices and a collate function turns
// each group of examples into a batch. Batches never span two epochs: the last batch of an epoch holds the remaining
// N mod B examples (PyTorch DataLoader's drop_last=False), so an epoch is ⌈N / B⌉ batches and shows each example once. The collate function receives a generator (for dynamic masking) that is saved
// with the sampler position, so a restored source produces the same batches bit for bit.
using Loom.Core;
using Loom.Training.Data;

namespace Loom.Training;

/// <summary>Shuffled batches of <typeparamref name="TItem"/> collated into <typeparamref name="TBatch"/>.</summary>
/// <typeparam name="TItem">An example.</typeparam>
/// <typeparam name="TBatch">A collated batch.</typeparam>
public sealed class ShuffledBatchSource<TItem, TBatch> : IBatchSource<TBatch>
{
    private readonly IReadOnlyList<TItem> _items;
    private readonly int _batchSize;
    private readonly Func<IReadOnlyList<TItem>, Generator, TBatch> _collate;
    private readonly Func<TBatch, long> _tokenCount;
    private readonly Generator _generator;
    private ShuffleSampler _sampler;

    /// <summary>Creates the source at epoch 0; the shuffle order and the collate generator both derive from <paramref name="seed"/>.</summary>
    public ShuffledBatchSource(IReadOnlyList<TItem> items, int batchSize, ulong seed,
        Func<IReadOnlyList<TItem>, Generator, TBatch> collate, Func<TBatch, long> tokenCount)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(collate);
        ArgumentNullException.ThrowIfNull(tokenCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (items.Count == 0)
        {
            throw new ArgumentException("ShuffledBatchSource: the data set is empty.", nameof(items));
        }

        (_items, _batchSize, _collate, _tokenCount) = (items, batchSize, collate, tokenCount);
        _sampler = new ShuffleSampler(items.Count, seed);
        _generator = new Generator(seed ^ 0x5DEECE66DUL);
    }

    /// <inheritdoc/>
    public int? BatchesPerEpoch => (_items.Count + _batchSize - 1) / _batchSize;

    /// <inheritdoc/>
    public BatchSourceState State => new(_sampler.State, _generator.State);

    /// <inheritdoc/>
    public TBatch Next()
    {
        var indices = _sampler.NextBatchInEpoch(_batchSize);
        return _collate([.. indices.Select(i => _items[i])], _generator);
    }

    /// <inheritdoc/>
    public long TokenCount(TBatch batch) => _tokenCount(batch);

    /// <inheritdoc/>
    public void Restore(BatchSourceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Sampler is null || state.Generator is null)
        {
            throw new ArgumentException("ShuffledBatchSource: the saved state lacks the sampler position or the generator state.", nameof(state));
        }

        if (state.Sampler.Count != _items.Count)
        {
            throw new ArgumentException($"ShuffledBatchSource: the checkpoint was taken over {state.Sampler.Count} examples; this data set has {_items.Count}.", nameof(state));
        }

        _sampler = new ShuffleSampler(state.Sampler);
        _generator.State = state.Generator;
    }
}
