// Reference: sacrebleu 2.6.0 sacrebleu/metrics/bleu.py (BLEUScore) and base.py (Score.format).
using Loom.Metrics.Text;
namespace Loom.Metrics.Bleu;

/// <summary>A sacrebleu BLEU result (scale 0–100) with its sufficient statistics and signature.</summary>
/// <param name="Score">BLEU on the 0–100 scale.</param>
/// <param name="Counts">Matched n-grams per order (with add-k, orders above 1 include +k).</param>
/// <param name="Totals">Hypothesis n-grams per order (with add-k, orders above 1 include +k).</param>
/// <param name="Precisions">Per-order precisions on the 0–100 scale.</param>
/// <param name="BrevityPenalty">The brevity penalty.</param>
/// <param name="SysLen">Total hypothesis length in tokens.</param>
/// <param name="RefLen">Total closest-reference length in tokens.</param>
/// <param name="Signature">The reproducibility signature.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Counts,
    IReadOnlyList<double> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long SysLen,
    long RefLen,
    SacreSignature Signature)
{
    /// <summary>Hypothesis/reference length ratio (0 when the reference length is 0).</summary>
    public double Ratio => RefLen != 0 ? (double)SysLen / RefLen : 0;

    /// <summary>The sacrebleu command-line line, e.g. <c>BLEU|nrefs:1|... = 34.12 60.0/40.0/... (BP = ...)</c>.</summary>
    public string Format(int width = 2)
    {
        var precisions = string.Join('/', Precisions.Select(p => PyFloat.Fixed(p, 1)));
        return $"BLEU|{Signature.Format()} = {PyFloat.Fixed(Score, width)} {precisions} " +
               $"(BP = {PyFloat.Fixed(BrevityPenalty, 3)} ratio = {PyFloat.Fixed(Ratio, 3)} " +
               $"hyp_len = {SysLen} ref_len = {RefLen})";
    }
}
