using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Ter;

/// <summary>A TER result (0–100, may exceed 100) with total edits, total average reference length and signature.</summary>
/// <param name="Score">100 × edits / reference length.</param>
/// <param name="NumEdits">Total number of edits over the corpus.</param>
/// <param name="RefLength">Sum over segments of the average reference length.</param>
/// <param name="Signature">The reproducibility signature.</param>
public sealed record TerScore(double Score, long NumEdits, double RefLength, SacreSignature Signature)
{
    /// <summary>The sacrebleu command-line line, e.g. <c>TER|nrefs:1|... = 12.50</c>.</summary>
    public string Format(int width = 2) => $"TER|{Signature.Format()} = {PyFloat.Fixed(Score, width)}";
}
