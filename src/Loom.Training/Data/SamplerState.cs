namespace Loom.Training.Data;

/// <summary>
/// The position of a <see cref="ShuffleSampler"/>: the seed and size it was built with, the epoch and how many indices
/// of that epoch have been handed out. Saved with a checkpoint, it restores the exact remaining order.
/// </summary>
public sealed record SamplerState(ulong Seed, int Count, int Epoch, int Position);
