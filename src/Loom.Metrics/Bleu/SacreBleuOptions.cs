namespace Loom.Metrics.Bleu;

/// <summary>Settings of <see cref="SacreBleu"/>, named like sacrebleu's <c>BLEU(...)</c> arguments.</summary>
public sealed record SacreBleuOptions
{
    /// <summary>Lower-case hypotheses and references first (signature <c>case:lc</c>).</summary>
    public bool Lowercase { get; init; }

    /// <summary>Tokenizer name: 13a (default), intl, zh, char, none.</summary>
    public string Tokenize { get; init; } = "13a";

    /// <summary>Smoothing method (default exp).</summary>
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exp;

    /// <summary>Value for floor / add-k; null means the method's default (0.1 / 1).</summary>
    public double? SmoothValue { get; init; }

    /// <summary>Highest n-gram order (default 4).</summary>
    public int MaxNgramOrder { get; init; } = 4;

    /// <summary>Average only over orders for which the hypothesis has n-grams (for sentence BLEU).</summary>
    public bool EffectiveOrder { get; init; }
}
