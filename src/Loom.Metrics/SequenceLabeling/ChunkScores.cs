namespace Loom.Metrics.SequenceLabeling;

/// <summary>Precision, recall, F1 and support of one row of a sequence-labelling report.</summary>
/// <param name="Precision">Correct chunks over predicted chunks.</param>
/// <param name="Recall">Correct chunks over true chunks.</param>
/// <param name="F1">Harmonic mean.</param>
/// <param name="Support">Number of true chunks.</param>
public readonly record struct ChunkScores(double Precision, double Recall, double F1, int Support);
