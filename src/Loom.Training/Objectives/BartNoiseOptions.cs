namespace Loom.Training.Objectives;

/// <summary>
/// The five BART noising transforms (Lewis et al. 2020, §2.2), each with its own ratio; 0 turns a transform off.
/// Applied in the order permutation → token masking → token deletion → text infilling → rotation.
/// </summary>
public sealed record BartNoiseOptions
{
    /// <summary>Token masking: fraction of tokens replaced by &lt;mask&gt;.</summary>
    public double MaskRatio { get; init; }

    /// <summary>Token deletion: fraction of tokens removed.</summary>
    public double DeleteRatio { get; init; }

    /// <summary>Text infilling: fraction of tokens covered by Poisson-length spans, each span replaced by one &lt;mask&gt;.</summary>
    public double InfillRatio { get; init; }

    /// <summary>Mean span length λ of text infilling (3).</summary>
    public double PoissonLambda { get; init; } = 3;

    /// <summary>Fraction of inserted/replacing masks that are random tokens instead (fairseq mask_random; 0).</summary>
    public double RandomRatio { get; init; }

    /// <summary>Sentence permutation: fraction of sentences whose positions are shuffled.</summary>
    public double PermuteSentenceRatio { get; init; }

    /// <summary>Document rotation: probability that the document is rotated to start at a random token.</summary>
    public double RotateRatio { get; init; }
}
