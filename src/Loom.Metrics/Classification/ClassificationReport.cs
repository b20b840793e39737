namespace Loom.Metrics.Classification;

/// <summary>Everything <see cref="ClassificationMetrics.Evaluate"/> computes.</summary>
/// <param name="Accuracy">Fraction of items whose prediction equals the truth.</param>
/// <param name="Labels">Class labels, in the order of the per-class rows and the confusion matrix.</param>
/// <param name="PerClass">Scores of each label.</param>
/// <param name="Micro">Pooled over classes (for single-label data equal to accuracy when all labels are listed).</param>
/// <param name="Macro">Unweighted mean over classes.</param>
/// <param name="Weighted">Mean over classes weighted by support.</param>
/// <param name="ConfusionMatrix">Rows = true label, columns = predicted label.</param>
public sealed record ClassificationReport(
    double Accuracy,
    IReadOnlyList<string> Labels,
    IReadOnlyList<ClassScores> PerClass,
    ClassScores Micro,
    ClassScores Macro,
    ClassScores Weighted,
    int[,] ConfusionMatrix);
