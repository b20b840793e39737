namespace Loom.Tokenizers.Decoders;

/// <summary>Joins all tokens into one.</summary>
public sealed class FuseDecoder : IDecoder
{
    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return [string.Concat(tokens)];
    }
}
