namespace Loom.Tokenizers.Normalizers;

/// <summary>Lowercases (full Unicode mapping).</summary>
public sealed class LowercaseNormalizer : INormalizer
{
    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Lowercase();
    }
}
