namespace Loom.Metrics.Bleu;

/// <summary>nltk BLEU statistics and score(s) for one sentence or corpus.</summary>
/// <param name="Scores">One score per weight vector (nltk returns a single float when given one vector).</param>
/// <param name="ModifiedPrecisions">Per order, the summed unreduced (numerator, denominator).</param>
/// <param name="HypLength">Total hypothesis length.</param>
/// <param name="ClosestRefLength">Total closest-reference length.</param>
/// <param name="BrevityPenalty">nltk's brevity penalty.</param>
public sealed record NltkBleuResult(
    IReadOnlyList<double> Scores,
    IReadOnlyList<(long Numerator, long Denominator)> ModifiedPrecisions,
    int HypLength,
    int ClosestRefLength,
    double BrevityPenalty);
