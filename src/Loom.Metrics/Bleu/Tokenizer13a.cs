// sacrebleu's default `13a` tokenizer (mteval-v13a.pl). Reference: sacrebleu 2.6.0
// sacrebleu/tokenizers/tokenizer_13a.py.
namespace Loom.Metrics.Bleu;

/// <summary>The mteval-v13a tokenizer: unescapes four XML entities, removes <c>&lt;skipped&gt;</c>, joins
/// hyphenated line breaks, then splits ASCII punctuation.</summary>
public sealed class Tokenizer13a : IBleuTokenizer
{
    /// <inheritdoc/>
    public string Name => "13a";

    /// <inheritdoc/>
    public string Tokenize(string line)
    {
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        return MtevalRegexTokenizer.Tokenize(" " + line + " ");
    }
}
