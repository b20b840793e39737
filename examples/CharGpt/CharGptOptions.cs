namespace Loom.Examples.CharGpt;

/// <summary>Model and training settings of the example (defaults give ≈ 110k parameters).</summary>
public sealed record CharGptOptions
{
    public int Channels { get; init; } = 64;

    public int Heads { get; init; } = 4;

    public int Layers { get; init; } = 2;

    public int Context { get; init; } = 64;

    public int BatchSize { get; init; } = 16;

    public int Steps { get; init; } = 300;

    public int WarmupSteps { get; init; } = 30;

    public double LearningRate { get; init; } = 3e-3;

    public double MinLearningRateFraction { get; init; } = 0.1;

    public double WeightDecay { get; init; } = 0.1;

    public float Dropout { get; init; }

    public int LogEvery { get; init; } = 25;

    public ulong Seed { get; init; } = 1337;
}
