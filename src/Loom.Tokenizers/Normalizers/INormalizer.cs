namespace Loom.Tokenizers.Normalizers;

/// <summary>First pipeline stage: rewrites the text while keeping alignments to the original.</summary>
public interface INormalizer
{
    /// <summary>Normalizes <paramref name="text"/> in place.</summary>
    void Normalize(NormalizedString text);
}
