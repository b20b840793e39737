namespace Loom.Training;

/// <summary>How a <see cref="Trainer{TBatch}.Train"/> call ended.</summary>
/// <param name="Step">Completed optimizer steps.</param>
/// <param name="StoppedEarly">True when early stopping ended the run before the last step.</param>
/// <param name="BestMetric">The best value of the tracked metric (null when never evaluated).</param>
/// <param name="BestStep">The step that reached <paramref name="BestMetric"/>.</param>
/// <param name="Losses">The training loss of every step run by this call.</param>
public sealed record TrainingResult(int Step, bool StoppedEarly, double? BestMetric, int? BestStep, IReadOnlyList<double> Losses);
