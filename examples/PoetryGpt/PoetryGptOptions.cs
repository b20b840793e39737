namespace Loom.Examples.PoetryGpt;

/// <summary>Model size and training recipe of the poetry example (defaults: the recorded run in BENCHMARKS.md).</summary>
public sealed record PoetryGptOptions
{
    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Attention heads per block.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Model width C.</summary>
    public int Channels { get; init; } = 128;

    /// <summary>Context length T (also the number of learned positions).</summary>
    public int BlockSize { get; init; } = 64;

    /// <summary>Windows per batch B.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Peak learning rate (cosine decay to a tenth after a linear warmup).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Dropout on the embeddings, the attention probabilities and each residual branch while training.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Evaluate the validation loss every this many steps.</summary>
    public int EvalEvery { get; init; } = 200;

    /// <summary>Validation batches per evaluation (non-overlapping windows from the start of the held-out poems).</summary>
    public int EvalBatches { get; init; } = 8;

    /// <summary>Seed of the initialisation, the split and the batch order.</summary>
    public ulong Seed { get; init; } = 1337;
}
