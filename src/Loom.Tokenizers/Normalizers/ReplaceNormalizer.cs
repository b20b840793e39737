namespace Loom.Tokenizers.Normalizers;

/// <summary>Replaces every match of a pattern by a string.</summary>
public sealed class ReplaceNormalizer(Pattern pattern, string content) : INormalizer
{
    /// <summary>What to find.</summary>
    public Pattern Pattern { get; } = pattern ?? throw new ArgumentNullException(nameof(pattern));

    /// <summary>The replacement.</summary>
    public string Content { get; } = content ?? throw new ArgumentNullException(nameof(content));

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Replace(Pattern, Content);
    }
}
