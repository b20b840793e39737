namespace Loom.Training;

/// <summary>A progress report after an optimizer step (and after each evaluation).</summary>
/// <param name="Step">Completed optimizer steps.</param>
/// <param name="MaxSteps">Steps in the whole run.</param>
/// <param name="Loss">Mean training loss of this step's micro-batches.</param>
/// <param name="LearningRate">The learning rate this step used.</param>
/// <param name="GradNorm">Global gradient norm before clipping (null without clipping).</param>
/// <param name="TokensPerSecond">Training tokens per second since this process started (or resumed).</param>
/// <param name="Elapsed">Wall time since this process started (or resumed) training.</param>
/// <param name="Eta">Estimated time to the last step.</param>
/// <param name="Metrics">Evaluation metrics when this step evaluated, else null.</param>
public sealed record TrainingProgress(int Step, int MaxSteps, double Loss, double LearningRate, double? GradNorm,
    double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta, IReadOnlyDictionary<string, double>? Metrics);
