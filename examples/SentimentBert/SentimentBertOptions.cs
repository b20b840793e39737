namespace Loom.Examples.SentimentBert;

/// <summary>Model size and both training recipes of the example (defaults: the recorded run in BENCHMARKS.md).</summary>
public sealed record SentimentBertOptions
{
    /// <summary>Encoder layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Hidden size C.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Tokens per sequence, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; init; } = 64;

    /// <summary>Largest number of characters in the vocabulary (besides the five special tokens).</summary>
    public int MaxCharacters { get; init; } = 3000;

    /// <summary>Masked-LM pretraining steps.</summary>
    public int PretrainSteps { get; init; } = 600;

    /// <summary>Masked-LM batch size.</summary>
    public int PretrainBatchSize { get; init; } = 32;

    /// <summary>Masked-LM peak learning rate.</summary>
    public double PretrainLearningRate { get; init; } = 2e-3;

    /// <summary>Fine-tuning steps (the same for the pretrained and the randomly initialised model).</summary>
    public int FineTuneSteps { get; init; } = 150;

    /// <summary>Fine-tuning runs per classifier, each with its own seed (head initialisation and batch order).</summary>
    public int FineTuneSeeds { get; init; } = 2;

    /// <summary>Fine-tuning batch size.</summary>
    public int FineTuneBatchSize { get; init; } = 32;

    /// <summary>Fine-tuning peak learning rate.</summary>
    public double FineTuneLearningRate { get; init; } = 5e-4;

    /// <summary>Fraction of waimai_10k held out for the final scores.</summary>
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Seed of the split, the initialisation, the masking and the batch order.</summary>
    public ulong Seed { get; init; } = 42;
}
