// nanoGPT's get_batch (karpathy/nanoGPT train.py): B windows of T tokens at uniformly random offsets of one long token
// stream, targets shifted by one. The offsets come from a seeded generator whose state is the whole position.
using Loom.Core;

namespace Loom.Training;

/// <summary>Random next-token windows over a token stream, without epochs.</summary>
public sealed class RandomWindowSource : IBatchSource<LmBatch>
{
    private readonly int[] _tokens;
    private readonly Generator _generator;

    /// <summary>Creates the source; offsets are drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public RandomWindowSource(int[] tokens, int batchSize, int blockSize, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        if (tokens.Length < blockSize + 1)
        {
            throw new ArgumentException($"RandomWindowSource: {tokens.Length} tokens are too few for windows of {blockSize} (at least {blockSize + 1} needed).", nameof(tokens));
        }

        (_tokens, BatchSize, BlockSize) = (tokens, batchSize, blockSize);
        _generator = new Generator(seed);
    }

    /// <summary>B.</summary>
    public int BatchSize { get; }

    /// <summary>T.</summary>
    public int BlockSize { get; }

    /// <inheritdoc/>
    public int? BatchesPerEpoch => null;

    /// <inheritdoc/>
    public BatchSourceState State => new(null, _generator.State);

    /// <inheritdoc/>
    public LmBatch Next()
    {
        var (b, t) = (BatchSize, BlockSize);
        var inputs = new int[b * t];
        var targets = new int[b * t];
        for (var row = 0; row < b; row++)
        {
            var start = _generator.NextInt(_tokens.Length - t);
            Array.Copy(_tokens, start, inputs, row * t, t);
            Array.Copy(_tokens, start + 1, targets, row * t, t);
        }

        return new LmBatch(IntTensor.FromArray(inputs, b, t), IntTensor.FromArray(targets, b, t)); // (B, T), (B, T)
    }

    /// <inheritdoc/>
    public long TokenCount(LmBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Inputs.Count;
    }

    /// <inheritdoc/>
    public void Restore(BatchSourceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _generator.State = state.Generator ?? throw new ArgumentException("RandomWindowSource: the saved state lacks the generator state.", nameof(state));
    }
}
