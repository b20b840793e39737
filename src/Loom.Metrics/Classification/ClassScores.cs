namespace Loom.Metrics.Classification;

/// <summary>Precision, recall, F1 and support of one class (or of an average).</summary>
/// <param name="Precision">Correct predictions of the class over all predictions of it (0 when never predicted).</param>
/// <param name="Recall">Correct predictions of the class over its true occurrences (0 when it never occurs).</param>
/// <param name="F1">Harmonic mean (0 when precision and recall are both 0).</param>
/// <param name="Support">True occurrences.</param>
public readonly record struct ClassScores(double Precision, double Recall, double F1, int Support);
