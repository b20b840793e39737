namespace Loom.Tokenizers.Models;

/// <summary>Third pipeline stage: turns one pre-tokenized word into tokens.</summary>
public interface ITokenizerModel
{
    /// <summary>Appends the tokens of <paramref name="word"/>; offsets are UTF-16 ranges within <paramref name="word"/>.</summary>
    void Tokenize(string word, List<Token> output);

    /// <summary>The id of a token, or null.</summary>
    int? TokenToId(string token);

    /// <summary>The token of an id, or null.</summary>
    string? IdToToken(int id);

    /// <summary>Number of entries in the vocabulary.</summary>
    int VocabSize { get; }

    /// <summary>The vocabulary (token to id).</summary>
    IReadOnlyDictionary<string, int> Vocab { get; }
}
