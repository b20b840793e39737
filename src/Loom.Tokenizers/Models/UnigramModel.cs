// Unigram language-model tokenization (Kudo 2018, "Subword Regularization"; google/sentencepiece
// unigram_model.cc), Viterbi search as Hugging Face tokenizers models/unigram (encode_optimized): the best path
// maximises the sum of piece log-probabilities; a character no piece covers costs (min score − 10) as the unknown
// piece, and consecutive unknown pieces are fused.
namespace Loom.Tokenizers.Models;

/// <summary>The Unigram model.</summary>
public sealed class UnigramModel : ITokenizerModel
{
    private const double UnknownPenalty = 10.0;

    private readonly Dictionary<string, int> _vocab;
    private readonly CharTrie _trie = new();
    private readonly double _minScore;
    private readonly int[] _byteIds;

    /// <summary>Creates the model from (piece, score) pairs in id order.</summary>
    /// <exception cref="TokenizerException">The unknown id is out of range.</exception>
    /// <param name="pieces">(piece, score) in id order.</param>
    /// <param name="unkId">Id of the unknown piece.</param>
    /// <param name="byteFallback">Emit byte pieces for unknown characters.</param>
    /// <param name="fuseUnk">Fuse consecutive unknown pieces.</param>
    /// <param name="unmatchable">Ids never matched in text (SentencePiece's control and unused pieces); Hugging Face matches every piece.</param>
    public UnigramModel(IReadOnlyList<(string Piece, double Score)> pieces, int? unkId, bool byteFallback = false, bool fuseUnk = true,
        IReadOnlySet<int>? unmatchable = null)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        Pieces = pieces;
        UnkId = unkId;
        ByteFallback = byteFallback;
        FuseUnk = fuseUnk;
        if (unkId is { } u && (u < 0 || u >= pieces.Count))
        {
            throw new TokenizerException($"Unigram: unk_id {u} is outside the vocabulary of {pieces.Count} pieces.");
        }

        _vocab = new Dictionary<string, int>(pieces.Count, StringComparer.Ordinal);
        _minScore = double.PositiveInfinity;
        for (int i = 0; i < pieces.Count; i++)
        {
            _vocab.TryAdd(pieces[i].Piece, i);
            if (unmatchable is null || !unmatchable.Contains(i))
            {
                _trie.Add(pieces[i].Piece, i);
            }

            _minScore = Math.Min(_minScore, pieces[i].Score);
        }

        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = _vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        }
    }

    /// <summary>(piece, score) in id order.</summary>
    public IReadOnlyList<(string Piece, double Score)> Pieces { get; }

    /// <summary>Id of the unknown piece.</summary>
    public int? UnkId { get; }

    /// <summary>Emit &lt;0xXX&gt; byte pieces instead of the unknown piece.</summary>
    public bool ByteFallback { get; }

    /// <summary>Fuse consecutive unknown pieces.</summary>
    public bool FuseUnk { get; }

    /// <inheritdoc/>
    public int VocabSize => Pieces.Count;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, int> Vocab => _vocab;

    /// <inheritdoc/>
    public int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    /// <inheritdoc/>
    public string? IdToToken(int id) => id >= 0 && id < Pieces.Count ? Pieces[id].Piece : null;

    /// <inheritdoc/>
    public void Tokenize(string word, List<Token> output)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(output);
        int n = word.Length;
        if (n == 0)
        {
            return;
        }

        var bestScore = new double[n + 1];
        var startsAt = new int[n + 1];
        var ids = new int[n + 1];
        Array.Fill(startsAt, -1);
        double unkScore = _minScore - UnknownPenalty;
        var matches = new List<(int Length, int Value)>();
        for (int start = 0; start < n;)
        {
            if (start > 0 && startsAt[start] < 0)
            {
                // Unreachable position (middle of a surrogate pair): skip.
                start++;
                continue;
            }

            double here = bestScore[start];
            Utf16.CodePointAt(word, start, out int charLength);
            bool hasSingle = false;
            matches.Clear();
            _trie.CommonPrefixes(word, start, matches);
            foreach (var (length, id) in matches)
            {
                int end = start + length;
                double candidate = Pieces[id].Score + here;
                if (startsAt[end] < 0 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    startsAt[end] = start;
                    ids[end] = id;
                }

                hasSingle |= length == charLength;
            }

            if (!hasSingle)
            {
                int end = start + charLength;
                double candidate = unkScore + here;
                if (startsAt[end] < 0 || candidate > bestScore[end])
                {
                    bestScore[end] = candidate;
                    startsAt[end] = start;
                    ids[end] = UnkId ?? throw new TokenizerException($"Unigram: '{word[start..end]}' needs the unknown piece but the model has no unk_id.");
                }
            }

            start += charLength;
        }

        var pieces = new List<(int Start, int End, int Id)>();
        int pos = n;
        int fusedEnd = -1;
        while (pos > 0)
        {
            int s = startsAt[pos];
            int id = ids[pos];
            if (FuseUnk && UnkId is { } unk && id == unk)
            {
                if (fusedEnd < 0)
                {
                    fusedEnd = pos;
                }
            }
            else
            {
                if (fusedEnd >= 0)
                {
                    pieces.Add((pos, fusedEnd, UnkId!.Value));
                    fusedEnd = -1;
                }

                pieces.Add((s, pos, id));
            }

            pos = s;
        }

        if (fusedEnd >= 0)
        {
            pieces.Add((0, fusedEnd, UnkId!.Value));
        }

        for (int k = pieces.Count - 1; k >= 0; k--)
        {
            var (s, e, _) = pieces[k];
            string value = word[s..e];
            if (_vocab.TryGetValue(value, out int id))
            {
                output.Add(new Token(id, value, s, e));
                continue;
            }

            if (ByteFallback)
            {
                bool all = true;
                var bytes = System.Text.Encoding.UTF8.GetBytes(value);
                foreach (byte b in bytes)
                {
                    all &= _byteIds[b] >= 0;
                }

                if (all)
                {
                    foreach (byte b in bytes)
                    {
                        output.Add(new Token(_byteIds[b], Pieces[_byteIds[b]].Piece, s, e));
                    }

                    continue;
                }
            }

            output.Add(new Token(UnkId!.Value, value, s, e));
        }
    }
}
