namespace Loom.Examples.MedicalReportSeq2Seq;

/// <summary>Model size and training recipe of the example (defaults: the recorded run in BENCHMARKS.md).</summary>
public sealed record MedicalReportOptions
{
    /// <summary>Model width d_model.</summary>
    public int Width { get; init; } = 64;

    /// <summary>Encoder layers (the decoder has as many).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Longest encoder input, &lt;s&gt; and &lt;/s&gt; included (longer descriptions are cut).</summary>
    public int MaxSourceLength { get; init; } = 152;

    /// <summary>Longest target, &lt;/s&gt; included (also the generation limit).</summary>
    public int MaxTargetLength { get; init; } = 80;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 900;

    /// <summary>Reports per batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate (linear warmup, cosine decay to a tenth).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Dropout on hidden states and attention probabilities while training.</summary>
    public double Dropout { get; init; }

    /// <summary>Label smoothing of the training loss (the held-out loss is plain cross-entropy).</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>
    /// When above 0, a correctness check instead of the real run: train on the first this-many training reports and
    /// score the model on those same reports (it should reproduce them).
    /// </summary>
    public int Overfit { get; init; }

    /// <summary>Fraction of the labelled reports held out for scoring.</summary>
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Seed of the split, the initialisation and the batch order.</summary>
    public ulong Seed { get; init; } = 2023;
}
