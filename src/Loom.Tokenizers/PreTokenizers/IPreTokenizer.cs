namespace Loom.Tokenizers.PreTokenizers;

/// <summary>Second pipeline stage: cuts the normalized text into words that the model tokenizes independently.</summary>
public interface IPreTokenizer
{
    /// <summary>Splits the untokenized pieces of <paramref name="text"/>.</summary>
    void PreTokenize(PreTokenizedString text);
}
