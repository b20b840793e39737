namespace Loom.Metrics.SequenceLabeling;

/// <summary>How per-type chunk scores are combined (seqeval's <c>average</c>).</summary>
public enum ChunkAverage
{
    /// <summary>Pool true positives and counts over all types.</summary>
    Micro,

    /// <summary>Unweighted mean over types (NaN when there is no type at all, as numpy gives).</summary>
    Macro,

    /// <summary>Mean over types weighted by the number of true chunks.</summary>
    Weighted,
}
