namespace Loom.Metrics.Rouge;

/// <summary>One ROUGE score (rouge-score's <c>scoring.Score</c>), each on the 0–1 scale.</summary>
/// <param name="Precision">Matches over prediction units.</param>
/// <param name="Recall">Matches over target units.</param>
/// <param name="FMeasure">Harmonic mean of precision and recall (0 when both are 0).</param>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure)
{
    /// <summary>Builds a score from precision and recall with rouge-score's <c>fmeasure</c>.</summary>
    public static RougeScore FromPrecisionRecall(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}
