namespace Loom.Training;

/// <summary>Stop when the best-checkpoint metric has not improved for <see cref="Patience"/> evaluations in a row.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Evaluations without improvement tolerated before stopping (≥ 1).</summary>
    public int Patience { get; init; } = 3;

    /// <summary>An improvement must beat the best value by more than this.</summary>
    public double MinDelta { get; init; }
}
