// WordPiece greedy longest-match-first (Schuster & Nakajima 2012; Wu et al. 2016; google-research/bert
// tokenization.py WordpieceTokenizer; HF models/wordpiece): words longer than the limit, or with any piece not in
// the vocabulary, become a single unknown token. The longest-match search starts at the longest piece the vocabulary
// holds rather than at the end of the word (a longer candidate cannot be a token), and tokens are looked up in an
// id-indexed array.
namespace Loom.Tokenizers.Models;

/// <summary>The WordPiece model.</summary>
public sealed class WordPieceModel : ITokenizerModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<int, string> _reverse;
    private readonly string?[] _tokenById;
    private readonly int _maxInitialLength;
    private readonly int _maxContinuationLength;

    /// <summary>Creates the model.</summary>
    public WordPieceModel(IReadOnlyDictionary<string, int> vocab, string unkToken = "[UNK]", string continuingSubwordPrefix = "##", int maxInputCharsPerWord = 100)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(continuingSubwordPrefix);
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _lookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _reverse = [];
        int maxId = -1;
        foreach (var (k, v) in _vocab)
        {
            _reverse[v] = k;
            maxId = Math.Max(maxId, v);
            _maxInitialLength = Math.Max(_maxInitialLength, k.Length);
            if (k.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
            {
                _maxContinuationLength = Math.Max(_maxContinuationLength, k.Length - continuingSubwordPrefix.Length);
            }
        }

        _tokenById = new string?[maxId >= 0 && maxId < 4 * _vocab.Count + 1024 ? maxId + 1 : 0];
        foreach (var (k, v) in _vocab)
        {
            if (v >= 0 && v < _tokenById.Length)
            {
                _tokenById[v] = k;
            }
        }

        UnkToken = unkToken;
        ContinuingSubwordPrefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;
    }

    /// <summary>The unknown token.</summary>
    public string UnkToken { get; }

    /// <summary>Prefix of non-initial pieces.</summary>
    public string ContinuingSubwordPrefix { get; }

    /// <summary>Longer words (in code points) become the unknown token.</summary>
    public int MaxInputCharsPerWord { get; }

    /// <inheritdoc/>
    public int VocabSize => _vocab.Count;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    /// <inheritdoc/>
    public string? IdToToken(int id) => _reverse.TryGetValue(id, out var t) ? t : null;

    private Token Unknown(int length) => _vocab.TryGetValue(UnkToken, out var id)
        ? new Token(id, UnkToken, 0, length)
        : throw new TokenizerException($"WordPiece: the unknown token '{UnkToken}' is not in the vocabulary.");

    /// <inheritdoc/>
    public void Tokenize(string word, List<Token> output)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(output);
        Tokenize(word.AsSpan(), output);
    }

    /// <summary>Same for a word held in a buffer (offsets are UTF-16 ranges within <paramref name="word"/>).</summary>
    internal void Tokenize(ReadOnlySpan<char> word, List<Token> output)
    {
        if (word.Length > MaxInputCharsPerWord)
        {
            // Code points, not UTF-16 units, are counted; a word short in UTF-16 is short in code points too.
            int chars = 0;
            for (int i = 0; i < word.Length; i++)
            {
                if (!char.IsLowSurrogate(word[i]) || i == 0 || !char.IsHighSurrogate(word[i - 1]))
                {
                    chars++;
                }
            }

            if (chars > MaxInputCharsPerWord)
            {
                output.Add(Unknown(word.Length));
                return;
            }
        }

        int first = output.Count;
        int prefixLength = ContinuingSubwordPrefix.Length;
        Span<char> buffer = word.Length + prefixLength <= 512 ? stackalloc char[word.Length + prefixLength] : new char[word.Length + prefixLength];
        ContinuingSubwordPrefix.AsSpan().CopyTo(buffer);
        int start = 0;
        while (start < word.Length)
        {
            // No token is longer than the longest vocabulary entry; start there (on a code-point boundary).
            int end = Math.Min(word.Length, start + (start > 0 ? _maxContinuationLength : _maxInitialLength));
            if (end < word.Length && end > start && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1]))
            {
                end--;
            }

            bool found = false;
            while (start < end)
            {
                scoped ReadOnlySpan<char> piece;
                if (start > 0)
                {
                    word.Slice(start, end - start).CopyTo(buffer[prefixLength..]);
                    piece = buffer[..(prefixLength + end - start)];
                }
                else
                {
                    piece = word[..end];
                }

                if (_lookup.TryGetValue(piece, out int id))
                {
                    output.Add(new Token(id, (uint)id < (uint)_tokenById.Length ? _tokenById[id]! : _reverse[id], start, end));
                    found = true;
                    break;
                }

                end -= end >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
            }

            if (!found)
            {
                output.RemoveRange(first, output.Count - first);
                output.Add(Unknown(word.Length));
                return;
            }

            start = end;
        }
    }
}
