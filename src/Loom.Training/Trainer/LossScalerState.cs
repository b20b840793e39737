namespace Loom.Training;

/// <summary>What a <see cref="DynamicLossScaler"/> carries from step to step (saved in checkpoints for exact resume).</summary>
/// <param name="Scale">The current loss scale.</param>
/// <param name="GoodSteps">Consecutive steps with finite gradients since the scale last changed.</param>
/// <param name="SkippedSteps">Steps skipped so far because a gradient was not finite.</param>
public sealed record LossScalerState(float Scale, int GoodSteps, int SkippedSteps);
