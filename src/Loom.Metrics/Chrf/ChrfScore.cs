using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Chrf;

/// <summary>A chrF / chrF++ result (0–100) with the summed per-order statistics and the signature.</summary>
/// <param name="Score">chrF on the 0–100 scale.</param>
/// <param name="Statistics">[hyp, ref, match] n-gram counts for char orders 1..C then word orders 1..W, flattened.</param>
/// <param name="Name">The metric name, e.g. <c>chrF2</c> or <c>chrF2++</c>.</param>
/// <param name="Signature">The reproducibility signature.</param>
public sealed record ChrfScore(double Score, IReadOnlyList<long> Statistics, string Name, SacreSignature Signature)
{
    /// <summary>The sacrebleu command-line line, e.g. <c>chrF2|nrefs:1|... = 55.56</c>.</summary>
    public string Format(int width = 2) => $"{Name}|{Signature.Format()} = {PyFloat.Fixed(Score, width)}";
}
