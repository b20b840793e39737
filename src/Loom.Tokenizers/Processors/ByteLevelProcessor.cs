namespace Loom.Tokenizers.Processors;

/// <summary>The byte-level post-processor: optional offset trimming, no special tokens.</summary>
public sealed class ByteLevelProcessor(bool addPrefixSpace = true, bool trimOffsets = true, bool useRegex = true) : IPostProcessor
{
    /// <summary>Whether the pre-tokenizer added a prefix space (it is then not trimmed from the first token).</summary>
    public bool AddPrefixSpace { get; } = addPrefixSpace;

    /// <summary>Trim spaces out of offsets.</summary>
    public bool TrimOffsets { get; } = trimOffsets;

    /// <summary>Kept for round-tripping tokenizer.json.</summary>
    public bool UseRegex { get; } = useRegex;

    /// <inheritdoc/>
    public int AddedTokens(bool isPair) => 0;

    /// <inheritdoc/>
    public List<Encoding> Process(List<Encoding> encodings, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        if (TrimOffsets)
        {
            ByteLevelOffsets.TrimAll(encodings, AddPrefixSpace);
        }

        for (int i = 0; i < encodings.Count; i++)
        {
            encodings[i].SetSequenceId(i);
        }

        return encodings;
    }
}
