// sacrebleu's `char` tokenizer. Reference: sacrebleu 2.6.0 sacrebleu/tokenizers/tokenizer_char.py.
using Loom.Metrics.Text;
namespace Loom.Metrics.Bleu;

/// <summary>Puts a space between every pair of code points (so original spaces vanish when split).</summary>
public sealed class TokenizerChar : IBleuTokenizer
{
    /// <inheritdoc/>
    public string Name => "char";

    /// <inheritdoc/>
    public string Tokenize(string line) => string.Join(' ', PyText.CodePoints(line));
}
