// HF decoders/wordpiece.rs: drop the continuation prefix, put a space before other tokens, and optionally undo
// BERT's spacing around punctuation and English contractions.
namespace Loom.Tokenizers.Decoders;

/// <summary>The WordPiece decoder.</summary>
public sealed class WordPieceDecoder(string prefix = "##", bool cleanup = true) : IDecoder
{
    /// <summary>The continuation prefix.</summary>
    public string Prefix { get; } = prefix ?? throw new ArgumentNullException(nameof(prefix));

    /// <summary>Clean up tokenization spaces.</summary>
    public bool Cleanup { get; } = cleanup;

    /// <summary>Removes the spaces BERT-style tokenization puts before punctuation and contractions.</summary>
    public static string CleanupText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(" .", ".", StringComparison.Ordinal).Replace(" ?", "?", StringComparison.Ordinal)
            .Replace(" !", "!", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal)
            .Replace(" ' ", "'", StringComparison.Ordinal).Replace(" n't", "n't", StringComparison.Ordinal)
            .Replace(" 'm", "'m", StringComparison.Ordinal).Replace(" do not", " don't", StringComparison.Ordinal)
            .Replace(" 's", "'s", StringComparison.Ordinal).Replace(" 've", "'ve", StringComparison.Ordinal)
            .Replace(" 're", "'re", StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (i != 0)
            {
                t = t.StartsWith(Prefix, StringComparison.Ordinal) ? t[Prefix.Length..] : " " + t;
            }

            result.Add(Cleanup ? CleanupText(t) : t);
        }

        return result;
    }
}
