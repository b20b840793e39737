using Loom.Core;
using Loom.Nn;

namespace Loom.Training;

/// <summary>Everything besides the weights that a resumed run needs to continue bit for bit.</summary>
/// <param name="Step">Completed optimizer steps (the schedule position follows from it).</param>
/// <param name="Optimizer">Optimizer moments, per-parameter step counters and step count.</param>
/// <param name="ModelGenerator">The model generator's state (dropout).</param>
/// <param name="Data">The training source's position.</param>
/// <param name="BestMetric">The best value of the tracked metric so far.</param>
/// <param name="BestStep">The step of <paramref name="BestMetric"/>.</param>
/// <param name="EvaluationsWithoutImprovement">The early-stopping counter.</param>
/// <param name="TokensSeen">Training tokens consumed so far.</param>
/// <param name="LossScaler">The dynamic loss scaler's state (null: the run has no loss scaling).</param>
public sealed record TrainerState(int Step, OptimizerState Optimizer, GeneratorState ModelGenerator, BatchSourceState Data,
    double? BestMetric, int? BestStep, int EvaluationsWithoutImprovement, long TokensSeen, LossScalerState? LossScaler = null);
