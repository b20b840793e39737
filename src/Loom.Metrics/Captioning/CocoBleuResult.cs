using Loom.Metrics.Text;
namespace Loom.Metrics.Captioning;

/// <summary>pycocoevalcap <c>Bleu(4)</c> output.</summary>
/// <param name="Score">Corpus BLEU-1..BLEU-n.</param>
/// <param name="Scores">Per order, the per-image (tiny-smoothed) sentence BLEU, in input order.</param>
/// <param name="TestLength">Total hypothesis length.</param>
/// <param name="ReferenceLength">Total closest-reference length.</param>
/// <param name="Guess">Hypothesis n-gram totals per order.</param>
/// <param name="Correct">Clipped matches per order.</param>
/// <param name="Ratio">(testlen + 1e-15) / (reflen + 1e-9), as the reference prints it.</param>
public sealed record CocoBleuResult(
    IReadOnlyList<double> Score,
    IReadOnlyList<IReadOnlyList<double>> Scores,
    long TestLength,
    long ReferenceLength,
    IReadOnlyList<long> Guess,
    IReadOnlyList<long> Correct,
    double Ratio)
{
    /// <summary>What pycocoevalcap prints with <c>verbose=1</c> (Python dict repr, then the ratio).</summary>
    public string VerboseOutput =>
        $"{{'testlen': {TestLength}, 'reflen': {ReferenceLength}, 'guess': [{string.Join(", ", Guess)}], " +
        $"'correct': [{string.Join(", ", Correct)}]}}\nratio: {Text.PyFloat.Repr(Ratio)}\n";
}
