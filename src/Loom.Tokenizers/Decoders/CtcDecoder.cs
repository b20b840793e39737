namespace Loom.Tokenizers.Decoders;

/// <summary>CTC decoding: collapse repeated tokens, drop the pad token, map the word delimiter to a space.</summary>
public sealed class CtcDecoder(string padToken = "<pad>", string wordDelimiterToken = "|", bool cleanup = true) : IDecoder
{
    /// <summary>The blank token.</summary>
    public string PadToken { get; } = padToken;

    /// <summary>The word delimiter token.</summary>
    public string WordDelimiterToken { get; } = wordDelimiterToken;

    /// <summary>Apply WordPiece-style cleanup.</summary>
    public bool Cleanup { get; } = cleanup;

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i > 0 && tokens[i] == tokens[i - 1])
            {
                continue;
            }

            string t = tokens[i].Replace(PadToken, string.Empty, StringComparison.Ordinal);
            if (Cleanup)
            {
                t = WordPieceDecoder.CleanupText(t).Replace(WordDelimiterToken, " ", StringComparison.Ordinal);
            }

            if (t.Length > 0)
            {
                result.Add(t);
            }
        }

        return result;
    }
}
