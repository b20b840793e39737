namespace Loom.Tokenizers.Normalizers;

/// <summary>Removes nonspacing marks (use after NFD to strip accents).</summary>
public sealed class StripAccentsNormalizer : INormalizer
{
    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Filter(static c => !CharClass.IsNonSpacingMark(c));
    }
}
