// Word-level lookup (HF models/wordlevel): a word is one token, or the unknown token.
namespace Loom.Tokenizers.Models;

/// <summary>The WordLevel model.</summary>
public sealed class WordLevelModel : ITokenizerModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<int, string> _reverse;

    /// <summary>Creates the model.</summary>
    public WordLevelModel(IReadOnlyDictionary<string, int> vocab, string unkToken = "<unk>")
    {
        ArgumentNullException.ThrowIfNull(vocab);
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _reverse = _vocab.ToDictionary(kv => kv.Value, kv => kv.Key);
        UnkToken = unkToken;
    }

    /// <summary>The unknown token.</summary>
    public string UnkToken { get; }

    /// <inheritdoc/>
    public int VocabSize => _vocab.Count;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    /// <inheritdoc/>
    public string? IdToToken(int id) => _reverse.TryGetValue(id, out var t) ? t : null;

    /// <inheritdoc/>
    public void Tokenize(string word, List<Token> output)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(output);
        if (_vocab.TryGetValue(word, out int id))
        {
            output.Add(new Token(id, word, 0, word.Length));
        }
        else if (_vocab.TryGetValue(UnkToken, out int unk))
        {
            output.Add(new Token(unk, UnkToken, 0, word.Length));
        }
        else
        {
            throw new TokenizerException($"WordLevel: '{word}' is not in the vocabulary and the unknown token '{UnkToken}' is missing too.");
        }
    }
}
