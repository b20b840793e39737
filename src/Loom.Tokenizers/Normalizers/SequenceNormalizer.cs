namespace Loom.Tokenizers.Normalizers;

/// <summary>Applies several normalizers in order.</summary>
public sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    /// <summary>The normalizers, in order.</summary>
    public IReadOnlyList<INormalizer> Normalizers { get; } = normalizers ?? throw new ArgumentNullException(nameof(normalizers));

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        foreach (var n in Normalizers)
        {
            n.Normalize(text);
        }
    }
}
