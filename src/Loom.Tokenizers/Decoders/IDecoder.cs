namespace Loom.Tokenizers.Decoders;

/// <summary>Last pipeline stage: turns tokens back into text.</summary>
public interface IDecoder
{
    /// <summary>Transforms the token strings (decoders chain; the final text is the concatenation).</summary>
    List<string> DecodeChain(List<string> tokens);
}
