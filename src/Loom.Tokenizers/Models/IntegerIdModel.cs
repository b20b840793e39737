// Corpora whose text is already anonymised into space-separated integers (e.g. the GAIIC 2023 medical reports,
// where "14 108 28 30" are characters). Two of the three usual strategies live here: use the numbers as ids
// directly above a block of reserved special ids (id = number + offset), or keep an explicit number → id table
// that may grow when unseen numbers arrive. The third, rebuilding the vocabulary from the corpus, is
// WordLevelTrainer with a WhitespaceSplit pre-tokenizer. Unseen numbers follow a configurable policy.
namespace Loom.Tokenizers.Models;

/// <summary>A model for whitespace-split integer tokens.</summary>
public sealed class IntegerIdModel : ITokenizerModel
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<int, string> _reverse;

    /// <summary>Creates the model.</summary>
    /// <param name="specialTokens">Reserved tokens, given ids 0..n-1.</param>
    /// <param name="direct">True: a number k has id k + <see cref="Offset"/> (no table); false: ids come from <paramref name="numbers"/>.</param>
    /// <param name="numbers">Known numbers in id order after the special tokens (table mode).</param>
    /// <param name="maxNumber">Direct mode: the largest number with an id (larger ones are unseen).</param>
    /// <param name="policy">What happens to unseen numbers.</param>
    /// <param name="unkToken">The unknown token (must be among the special tokens for <see cref="UnseenIdPolicy.MapToUnknown"/>).</param>
    public IntegerIdModel(IReadOnlyList<string> specialTokens, bool direct, IEnumerable<long>? numbers = null, long maxNumber = long.MaxValue,
        UnseenIdPolicy policy = UnseenIdPolicy.MapToUnknown, string unkToken = "[UNK]")
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (direct && policy == UnseenIdPolicy.AddToVocabulary)
        {
            throw new ArgumentException("Direct ids cannot grow a vocabulary: use table mode for AddToVocabulary.", nameof(policy));
        }

        Direct = direct;
        Offset = specialTokens.Count;
        MaxNumber = maxNumber;
        Policy = policy;
        UnkToken = unkToken;
        _vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        _reverse = [];
        foreach (var s in specialTokens)
        {
            Add(s);
        }

        if (!direct)
        {
            foreach (long n in numbers ?? [])
            {
                Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (policy == UnseenIdPolicy.MapToUnknown && !_vocab.ContainsKey(unkToken))
        {
            throw new ArgumentException($"MapToUnknown needs the unknown token '{unkToken}' among the special tokens.", nameof(unkToken));
        }
    }

    /// <summary>Numbers map to number + <see cref="Offset"/>.</summary>
    public bool Direct { get; }

    /// <summary>Number of reserved special ids.</summary>
    public int Offset { get; }

    /// <summary>Largest number with an id in direct mode.</summary>
    public long MaxNumber { get; }

    /// <summary>Unseen-number policy.</summary>
    public UnseenIdPolicy Policy { get; }

    /// <summary>The unknown token.</summary>
    public string UnkToken { get; }

    /// <inheritdoc/>
    public int VocabSize => Direct ? (int)Math.Min(int.MaxValue, Offset + MaxNumber + 1) : _vocab.Count;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    private void Add(string token)
    {
        if (_vocab.TryAdd(token, _vocab.Count))
        {
            _reverse[_vocab.Count - 1] = token;
        }
    }

    private static bool TryNumber(string s, out long n) =>
        long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n);

    /// <inheritdoc/>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        lock (_gate)
        {
            if (_vocab.TryGetValue(token, out int id))
            {
                return id;
            }
        }

        return Direct && TryNumber(token, out long n) && n <= MaxNumber ? (int)(n + Offset) : null;
    }

    /// <inheritdoc/>
    public string? IdToToken(int id)
    {
        lock (_gate)
        {
            if (_reverse.TryGetValue(id, out var t))
            {
                return t;
            }
        }

        return Direct && id >= Offset && id - Offset <= MaxNumber ? (id - Offset).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <inheritdoc/>
    public void Tokenize(string word, List<Token> output)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(output);
        if (TokenToId(word) is { } id)
        {
            output.Add(new Token(id, word, 0, word.Length));
            return;
        }

        switch (Policy)
        {
            case UnseenIdPolicy.AddToVocabulary when TryNumber(word, out _):
                lock (_gate)
                {
                    Add(word);
                    output.Add(new Token(_vocab[word], word, 0, word.Length));
                }

                return;
            case UnseenIdPolicy.Fail:
                throw new TokenizerException(
                    $"Integer-id vocabulary: expected a known number{(Direct ? $" in 0..{MaxNumber}" : string.Empty)}, found '{word}'.");
            default:
                int unk = _vocab.TryGetValue(UnkToken, out int u)
                    ? u
                    : throw new TokenizerException($"Integer-id vocabulary: expected a number, found '{word}' (and there is no '{UnkToken}' to map it to).");
                output.Add(new Token(unk, UnkToken, 0, word.Length));
                return;
        }
    }
}
