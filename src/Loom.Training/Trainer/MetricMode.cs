namespace Loom.Training;

/// <summary>Whether a smaller or a larger metric value is better.</summary>
public enum MetricMode
{
    /// <summary>Smaller is better (losses, perplexity).</summary>
    Min,

    /// <summary>Larger is better (accuracy, BLEU).</summary>
    Max,
}
