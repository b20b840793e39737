namespace Loom.Tokenizers.Decoders;

/// <summary>Replaces the end-of-word suffix by a space (none after the last token).</summary>
public sealed class BpeDecoder(string suffix = "</w>") : IDecoder
{
    /// <summary>The end-of-word suffix.</summary>
    public string Suffix { get; } = suffix ?? throw new ArgumentNullException(nameof(suffix));

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            result.Add(tokens[i].Replace(Suffix, i == tokens.Count - 1 ? string.Empty : " ", StringComparison.Ordinal));
        }

        return result;
    }
}
