// Byte-pair encoding (Sennrich et al. 2016; GPT-2's byte-level variant, Radford et al. 2019), applied like
// Hugging Face tokenizers models/bpe (model.rs merge_word, word.rs merge_all): characters (with optional
// continuing-subword prefix / end-of-word suffix) become symbols, unknown characters go to byte-fallback tokens
// <0xXX> or to the (optionally fused) unknown token, then the lowest-ranked adjacent pair is merged repeatedly,
// leftmost first, with optional BPE-dropout (Provilkov et al. 2020).
// Words are cached. A SentencePiece-style vocabulary used without a pre-tokenizer sees whole sequences as one
// word; when no token can span "x▁" (x not ▁), such a word is cut before each ▁ that follows another character
// and the pieces are merged and cached one by one, which gives the same tokens because no merge crosses a cut.
using System.Collections.Concurrent;

namespace Loom.Tokenizers.Models;

/// <summary>The BPE model.</summary>
public sealed class BpeModel : ITokenizerModel
{
    private const int MaxCachedWordLength = 256;
    private const int MaxCacheEntries = 200_000;
    private const char Metaspace = '\u2581';

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<int, string> _reverse;
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;
    private readonly int[] _byteIds;
    private readonly int[] _charIds;
    private readonly ConcurrentDictionary<string, Token[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Token[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private readonly bool _cutBeforeMetaspace;

    /// <summary>Creates the model from a vocabulary and ranked merges.</summary>
    /// <exception cref="TokenizerException">A merge names a token that is not in the vocabulary.</exception>
    public BpeModel(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges, BpeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        Options = options ?? new BpeOptions();
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _lookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _reverse = new Dictionary<int, string>(_vocab.Count);
        foreach (var (k, v) in _vocab)
        {
            _reverse[v] = k;
        }

        Merges = merges;
        _merges = new Dictionary<long, (int, int)>(merges.Count, PairKeyComparer.Instance);
        int prefixLength = Options.ContinuingSubwordPrefix?.Length ?? 0;
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (a, b) = merges[rank];
            if (!_vocab.TryGetValue(a, out int idA))
            {
                throw new TokenizerException($"BPE merge #{rank} '{a} {b}': expected '{a}' in the vocabulary, it is missing.");
            }

            if (!_vocab.TryGetValue(b, out int idB))
            {
                throw new TokenizerException($"BPE merge #{rank} '{a} {b}': expected '{b}' in the vocabulary, it is missing.");
            }

            string merged = a + (prefixLength > 0 && b.StartsWith(Options.ContinuingSubwordPrefix!, StringComparison.Ordinal) ? b[prefixLength..] : b);
            if (!_vocab.TryGetValue(merged, out int idNew))
            {
                throw new TokenizerException($"BPE merge #{rank} '{a} {b}': expected the merged token '{merged}' in the vocabulary, it is missing.");
            }

            _merges.TryAdd(Key(idA, idB), (rank, idNew));
        }

        _charIds = new int[char.MaxValue + 1];
        Array.Fill(_charIds, -1);
        if (string.IsNullOrEmpty(Options.ContinuingSubwordPrefix) && string.IsNullOrEmpty(Options.EndOfWordSuffix))
        {
            foreach (var (token, id) in _vocab)
            {
                if (token.Length == 1 && !char.IsSurrogate(token[0]))
                {
                    _charIds[token[0]] = id;
                }
            }
        }

        _cutBeforeMetaspace = string.IsNullOrEmpty(Options.ContinuingSubwordPrefix) && string.IsNullOrEmpty(Options.EndOfWordSuffix)
            && !Options.IgnoreMerges && _vocab.ContainsKey(Metaspace.ToString()) && !_vocab.Keys.Any(SpansMetaspaceCut);

        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = _vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        }
    }

    /// <summary>The model options.</summary>
    public BpeOptions Options { get; }

    /// <summary>The merges, in rank order.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <inheritdoc/>
    public int VocabSize => _vocab.Count;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    /// <inheritdoc/>
    public string? IdToToken(int id) => _reverse.TryGetValue(id, out var t) ? t : null;

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    private struct Symbol
    {
        public int Id;
        public int Start;
        public int End;
        public int Prev;
        public int Next;
        public bool Removed;
    }

    /// <inheritdoc/>
    public void Tokenize(string word, List<Token> output) => Tokenize(word, output, null);

    /// <summary>
    /// Tokenizes <paramref name="word"/> with BPE-dropout (<see cref="BpeOptions.Dropout"/>) drawn from
    /// <paramref name="random"/> (null: <see cref="Random.Shared"/>), so that a seeded generator gives reproducible
    /// segmentations; without dropout this is <see cref="Tokenize(string, List{Token})"/>.
    /// </summary>
    public void Tokenize(string word, List<Token> output, Random? random)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(output);
        Tokenize(word, word, output, random);
    }

    /// <summary>Same for a word held in a buffer (<paramref name="wordString"/>: the same word as a string, if there is one).</summary>
    internal void Tokenize(ReadOnlySpan<char> word, string? wordString, List<Token> output, Random? random)
    {
        if (!_cutBeforeMetaspace)
        {
            TokenizePiece(word, wordString, 0, word.Length, output, random);
            return;
        }

        int start = 0;
        for (int i = 1; i <= word.Length; i++)
        {
            if (i == word.Length || (word[i] == Metaspace && word[i - 1] != Metaspace))
            {
                TokenizePiece(word, wordString, start, i - start, output, random);
                start = i;
            }
        }
    }

    /// <summary>True when a token holds a ▁ right after another character, so a cut there could split it.</summary>
    private static bool SpansMetaspaceCut(string token)
    {
        for (int i = token.IndexOf(Metaspace, 1); i > 0; i = i + 1 < token.Length ? token.IndexOf(Metaspace, i + 1) : -1)
        {
            if (token[i - 1] != Metaspace)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Tokenizes word[start..start+length], with offsets into the whole word.</summary>
    private void TokenizePiece(ReadOnlySpan<char> word, string? wordString, int start, int length, List<Token> output, Random? random)
    {
        if (length == 0)
        {
            return;
        }

        var span = word.Slice(start, length);
        bool cacheable = Options.Dropout is null or 0 && length < MaxCachedWordLength;
        if (cacheable && _cacheLookup.TryGetValue(span, out var cached))
        {
            Append(output, cached, start);
            return;
        }

        string piece = wordString is not null && length == wordString.Length ? wordString : span.ToString();
        var tokens = new List<Token>();
        if (Options.IgnoreMerges && _vocab.TryGetValue(piece, out int whole))
        {
            tokens.Add(new Token(whole, piece, 0, piece.Length));
        }
        else
        {
            var symbols = Initial(piece);
            MergeAll(symbols, random ?? Random.Shared);
            foreach (var s in symbols)
            {
                if (!s.Removed)
                {
                    tokens.Add(new Token(s.Id, _reverse[s.Id], s.Start, s.End));
                }
            }
        }

        var result = tokens.ToArray();
        if (cacheable && _cache.Count < MaxCacheEntries)
        {
            _cache.TryAdd(piece, result);
        }

        Append(output, result, start);
    }

    private static void Append(List<Token> output, Token[] tokens, int shift)
    {
        if (shift == 0)
        {
            output.AddRange(tokens);
            return;
        }

        foreach (var t in tokens)
        {
            output.Add(t with { Start = t.Start + shift, End = t.End + shift });
        }
    }

    private List<Symbol> Initial(string word)
    {
        var symbols = new List<Symbol>(word.Length);
        string? prefix = Options.ContinuingSubwordPrefix;
        string? suffix = Options.EndOfWordSuffix;
        int unkId = -1, unkStart = 0, unkEnd = 0;
        bool hasUnk = false;
        Span<char> buffer = stackalloc char[64];
        Span<byte> utf8 = stackalloc byte[64];
        for (int i = 0; i < word.Length;)
        {
            Utf16.CodePointAt(word, i, out int l);
            bool isFirst = i == 0, isLast = i + l == word.Length;
            int n = 0;
            if (!isFirst && !string.IsNullOrEmpty(prefix))
            {
                prefix.AsSpan().CopyTo(buffer);
                n = prefix.Length;
            }

            word.AsSpan(i, l).CopyTo(buffer[n..]);
            n += l;
            if (isLast && !string.IsNullOrEmpty(suffix))
            {
                suffix.AsSpan().CopyTo(buffer[n..]);
                n += suffix.Length;
            }

            var piece = buffer[..n];
            int id = l == 1 && n == 1 ? _charIds[word[i]] : -1;
            if (id >= 0 || _lookup.TryGetValue(piece, out id))
            {
                if (hasUnk)
                {
                    Add(symbols, unkId, unkStart, unkEnd);
                    hasUnk = false;
                }

                Add(symbols, id, i, i + l);
            }
            else
            {
                bool fellBack = false;
                if (Options.ByteFallback)
                {
                    int byteCount = System.Text.Encoding.UTF8.GetBytes(piece, utf8);
                    fellBack = true;
                    for (int k = 0; k < byteCount; k++)
                    {
                        if (_byteIds[utf8[k]] < 0)
                        {
                            fellBack = false;
                            break;
                        }
                    }

                    if (fellBack)
                    {
                        if (hasUnk)
                        {
                            Add(symbols, unkId, unkStart, unkEnd);
                            hasUnk = false;
                        }

                        for (int k = 0; k < byteCount; k++)
                        {
                            Add(symbols, _byteIds[utf8[k]], i, i + l);
                        }
                    }
                }

                if (!fellBack && Options.UnkToken is { } unk)
                {
                    int uid = _vocab.TryGetValue(unk, out int u)
                        ? u
                        : throw new TokenizerException($"BPE: the unknown token '{unk}' is not in the vocabulary.");
                    if (hasUnk && Options.FuseUnk)
                    {
                        unkEnd = i + l;
                    }
                    else
                    {
                        if (hasUnk)
                        {
                            Add(symbols, unkId, unkStart, unkEnd);
                        }

                        (unkId, unkStart, unkEnd, hasUnk) = (uid, i, i + l, true);
                    }
                }
            }

            i += l;
        }

        if (hasUnk)
        {
            Add(symbols, unkId, unkStart, unkEnd);
        }

        return symbols;
    }

    private static void Add(List<Symbol> symbols, int id, int start, int end)
    {
        int index = symbols.Count;
        if (index > 0)
        {
            var last = symbols[index - 1];
            last.Next = index;
            symbols[index - 1] = last;
        }

        symbols.Add(new Symbol { Id = id, Start = start, End = end, Prev = index - 1, Next = -1 });
    }

    private void MergeAll(List<Symbol> symbols, Random random)
    {
        if (symbols.Count < 2)
        {
            return;
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols);
        var heap = new MergeHeap(symbols.Count);
        for (int i = 0; i + 1 < span.Length; i++)
        {
            if (_merges.TryGetValue(Key(span[i].Id, span[i + 1].Id), out var m))
            {
                heap.Push(m.Rank, i, m.NewId);
            }
        }

        double dropout = Options.Dropout ?? 0;
        List<(int Rank, int Pos, int NewId)>? skipped = dropout > 0 ? [] : null;
        while (heap.TryPop(out int rank, out int pos, out int newId))
        {
            if (skipped is not null)
            {
                if (random.NextDouble() < dropout)
                {
                    skipped.Add((rank, pos, newId));
                    continue;
                }

                foreach (var (r, p, n) in skipped)
                {
                    heap.Push(r, p, n);
                }

                skipped.Clear();
            }

            ref var cur = ref span[pos];
            if (cur.Removed || cur.Next < 0)
            {
                continue;
            }

            int nextPos = cur.Next;
            ref var right = ref span[nextPos];
            if (!_merges.TryGetValue(Key(cur.Id, right.Id), out var check) || check.NewId != newId)
            {
                continue;
            }

            cur.Id = newId;
            cur.End = right.End;
            cur.Next = right.Next;
            right.Removed = true;
            if (cur.Next >= 0)
            {
                span[cur.Next].Prev = pos;
            }

            if (cur.Prev >= 0 && _merges.TryGetValue(Key(span[cur.Prev].Id, cur.Id), out var mp))
            {
                heap.Push(mp.Rank, cur.Prev, mp.NewId);
            }

            if (cur.Next >= 0 && _merges.TryGetValue(Key(cur.Id, span[cur.Next].Id), out var mn))
            {
                heap.Push(mn.Rank, pos, mn.NewId);
            }
        }
    }
}
