namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Applies several pre-tokenizers in order.</summary>
public sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> preTokenizers) : IPreTokenizer
{
    /// <summary>The pre-tokenizers, in order.</summary>
    public IReadOnlyList<IPreTokenizer> PreTokenizers { get; } = preTokenizers ?? throw new ArgumentNullException(nameof(preTokenizers));

    /// <inheritdoc/>
    public void PreTokenize(PreTokenizedString text)
    {
        foreach (var p in PreTokenizers)
        {
            p.PreTokenize(text);
        }
    }
}
