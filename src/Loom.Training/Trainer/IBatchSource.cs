namespace Loom.Training;

/// <summary>
/// An endless, resumable stream of training batches: <see cref="State"/> captures the position (sampler and random
/// generator) and <see cref="Restore"/> puts a freshly built source with the same data back at that position.
/// </summary>
/// <typeparam name="TBatch">The batch type.</typeparam>
public interface IBatchSource<TBatch>
{
    /// <summary>Batches in one pass over the data, or null for a source without epochs (random windows).</summary>
    int? BatchesPerEpoch { get; }

    /// <summary>The current position, to save in a checkpoint.</summary>
    BatchSourceState State { get; }

    /// <summary>The next batch.</summary>
    TBatch Next();

    /// <summary>Number of tokens a batch holds (for tokens/s).</summary>
    long TokenCount(TBatch batch);

    /// <summary>Continues from a position read back from a checkpoint.</summary>
    void Restore(BatchSourceState state);
}
