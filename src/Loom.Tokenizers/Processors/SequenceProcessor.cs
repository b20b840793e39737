namespace Loom.Tokenizers.Processors;

/// <summary>Applies several post-processors in order.</summary>
public sealed class SequenceProcessor(IReadOnlyList<IPostProcessor> processors) : IPostProcessor
{
    /// <summary>The processors.</summary>
    public IReadOnlyList<IPostProcessor> Processors { get; } = processors ?? throw new ArgumentNullException(nameof(processors));

    /// <inheritdoc/>
    public int AddedTokens(bool isPair) => Processors.Sum(p => p.AddedTokens(isPair));

    /// <inheritdoc/>
    public List<Encoding> Process(List<Encoding> encodings, bool addSpecialTokens)
    {
        foreach (var p in Processors)
        {
            encodings = p.Process(encodings, addSpecialTokens);
        }

        return encodings;
    }
}
