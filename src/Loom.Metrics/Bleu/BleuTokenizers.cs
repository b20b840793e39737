namespace Loom.Metrics.Bleu;

/// <summary>Creates sacrebleu tokenizers by their signature name.</summary>
public static class BleuTokenizers
{
    /// <summary>The names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["13a", "intl", "zh", "char", "none"];

    /// <summary>Returns the tokenizer called <paramref name="name"/> (13a, intl, zh, char, none).</summary>
    public static IBleuTokenizer Create(string name) => name switch
    {
        "13a" => new Tokenizer13a(),
        "intl" => new TokenizerIntl(),
        "zh" => new TokenizerZh(),
        "char" => new TokenizerChar(),
        "none" => new TokenizerNone(),
        _ => throw new MetricException(
            $"Unknown BLEU tokenizer: expected one of {string.Join(", ", Names)}, found '{name}'."),
    };
}
