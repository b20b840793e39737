namespace Loom.Tokenizers.Normalizers;

/// <summary>Prepends a string to every non-empty input (e.g. "▁" for SentencePiece-style BPE).</summary>
public sealed class PrependNormalizer(string prepend) : INormalizer
{
    /// <summary>The prefix.</summary>
    public string Prepend { get; } = prepend ?? throw new ArgumentNullException(nameof(prepend));

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0)
        {
            text.Prepend(Prepend);
        }
    }
}
