namespace Loom.Tokenizers.Normalizers;

/// <summary>Removes leading and/or trailing whitespace.</summary>
public sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    /// <summary>Strip at the start.</summary>
    public bool Left { get; } = left;

    /// <summary>Strip at the end.</summary>
    public bool Right { get; } = right;

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Strip(Left, Right);
    }
}
