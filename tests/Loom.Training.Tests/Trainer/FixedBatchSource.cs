namespace Loom.Training.Tests.Trainer;

/// <summary>Returns the same batch forever (for overfitting one batch).</summary>
internal sealed class FixedBatchSource(LmBatch batch) : IBatchSource<LmBatch>
{
    public int? BatchesPerEpoch => 1;

    public BatchSourceState State => new(null, null);

    public LmBatch Next() => batch;

    public long TokenCount(LmBatch batch) => batch.Inputs.Count;

    public void Restore(BatchSourceState state)
    {
    }
}
