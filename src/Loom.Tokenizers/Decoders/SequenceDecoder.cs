namespace Loom.Tokenizers.Decoders;

/// <summary>Chains several decoders.</summary>
public sealed class SequenceDecoder(IReadOnlyList<IDecoder> decoders) : IDecoder
{
    /// <summary>The decoders, in order.</summary>
    public IReadOnlyList<IDecoder> Decoders { get; } = decoders ?? throw new ArgumentNullException(nameof(decoders));

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        foreach (var d in Decoders)
        {
            tokens = d.DecodeChain(tokens);
        }

        return tokens;
    }
}
