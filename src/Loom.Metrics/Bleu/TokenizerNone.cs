// sacrebleu's `none` tokenizer. Reference: sacrebleu 2.6.0 sacrebleu/tokenizers/tokenizer_none.py.
namespace Loom.Metrics.Bleu;

/// <summary>Leaves the line unchanged (tokens are then whatever whitespace separates).</summary>
public sealed class TokenizerNone : IBleuTokenizer
{
    /// <inheritdoc/>
    public string Name => "none";

    /// <inheritdoc/>
    public string Tokenize(string line) => line;
}
