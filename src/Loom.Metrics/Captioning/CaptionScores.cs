namespace Loom.Metrics.Captioning;

/// <summary>A corpus-level caption score and the per-image scores (in input order).</summary>
/// <param name="Score">The corpus score (the mean of <paramref name="Scores"/> for CIDEr and ROUGE-L).</param>
/// <param name="Scores">One score per image.</param>
public sealed record CaptionScores(double Score, IReadOnlyList<double> Scores);
