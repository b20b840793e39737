namespace Loom.Kernels;

/// <summary>AdamW hyper-parameters (torch.optim.AdamW defaults apart from the learning rate), in double like Python's floats.</summary>
/// <param name="LearningRate">lr.</param>
/// <param name="Beta1">β₁, first-moment decay.</param>
/// <param name="Beta2">β₂, second-moment decay.</param>
/// <param name="Eps">ε added to the denominator.</param>
/// <param name="WeightDecay">λ, decoupled weight decay.</param>
public readonly record struct AdamWSettings(double LearningRate, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01);
