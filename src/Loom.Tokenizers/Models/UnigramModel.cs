// Unigram language-model tokenization (Kudo 2018, "Subword Regularization"; google/sentencepiece
// unigram_model.cc), Viterbi search as Hugging Face tokenizers models/unigram (encode_optimized): the best path
// maximises the sum of piece log-probabilities; a character no piece covers costs (min score − 10) as the unknown
// piece, and consecutive unknown pieces are fused. Subword regularisation as sentencepiece's
// SampleEncode(nbest_size, alpha): n-best paths (A* over the lattice, UnigramLattice) or, for nbest_size < 0, a path
// sampled from the whole lattice by forward-filtering backward-sampling with probability ∝ exp(alpha · score).
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

        var path = new List<(int Start, int End, int Id)>();
        for (int pos = n; pos > 0; pos = startsAt[pos])
        {
            path.Add((startsAt[pos], pos, ids[pos]));
        }

        path.Reverse();
        AppendPath(word, path, output);
    }

    /// <summary>Appends the tokens of a segmentation path (start, end, id in text order): unknown pieces fused, byte fallback applied.</summary>
    private void AppendPath(string word, IReadOnlyList<(int Start, int End, int Id)> path, List<Token> output)
    {
        int unkStart = -1;
        int unkEnd = -1;
        foreach (var (s, e, id) in path)
        {
            if (UnkId is { } unk && id == unk)
            {
                if (FuseUnk && unkStart >= 0 && unkEnd == s)
                {
                    unkEnd = e;
                    continue;
                }

                if (unkStart >= 0)
                {
                    EmitPiece(word, unkStart, unkEnd, output);
                }

                (unkStart, unkEnd) = (s, e);
                continue;
            }

            if (unkStart >= 0)
            {
                EmitPiece(word, unkStart, unkEnd, output);
                unkStart = -1;
            }

            EmitPiece(word, s, e, output);
        }

        if (unkStart >= 0)
        {
            EmitPiece(word, unkStart, unkEnd, output);
        }
    }

    /// <summary>Emits word[s..e]: as a vocabulary piece if it is one, else as byte pieces (byte fallback) or the unknown piece.</summary>
    private void EmitPiece(string word, int s, int e, List<Token> output)
    {
        string value = word[s..e];
        if (_vocab.TryGetValue(value, out int id))
        {
            output.Add(new Token(id, value, s, e));
            return;
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

                return;
            }
        }

        output.Add(new Token(UnkId!.Value, value, s, e));
    }

    /// <summary>The segmentation lattice of <paramref name="word"/> (every matching piece, unknown nodes for uncovered characters).</summary>
    /// <exception cref="TokenizerException">A character needs the unknown piece and the model has none.</exception>
    internal UnigramLattice BuildLattice(string word) =>
        UnigramLattice.Build(word, _trie, id => Pieces[id].Score, UnkId, _minScore - UnknownPenalty);

    /// <summary>
    /// The <paramref name="n"/> best segmentations of <paramref name="word"/>, best first, each with its score (the sum of
    /// its pieces' scores, unknown pieces at min score − 10); tokens as <see cref="Tokenize"/> gives them (unknown pieces fused).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public IReadOnlyList<(IReadOnlyList<Token> Tokens, double Score)> NBest(string word, int n)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (word.Length == 0)
        {
            return [([], 0.0)];
        }

        var lattice = BuildLattice(word);
        return lattice.NBest(n).Select(p => ((IReadOnlyList<Token>)ToTokens(word, lattice, p.Path), p.Score)).ToList();
    }

    /// <summary>
    /// Subword regularisation with sentencepiece's SampleEncode semantics: <paramref name="nbestSize"/> 0 or 1 gives the
    /// best segmentation; &gt; 1 samples among the n best with probability ∝ exp(<paramref name="alpha"/> · score);
    /// &lt; 0 samples from the whole lattice with probability ∝ exp(alpha · score) (forward filtering, backward sampling).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nbestSize"/> is over 512 (sentencepiece's limit) or alpha is not finite.</exception>
    public void Sample(string word, int nbestSize, double alpha, Random random, List<Token> output)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nbestSize, 512);
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number.");
        }

        if (word.Length == 0)
        {
            return;
        }

        if (nbestSize is 0 or 1)
        {
            Tokenize(word, output);
            return;
        }

        var lattice = BuildLattice(word);
        if (nbestSize < 0)
        {
            output.AddRange(ToTokens(word, lattice, lattice.Sample(alpha, random)));
            return;
        }

        var nbest = lattice.NBest(nbestSize);
        double top = nbest.Max(p => alpha * p.Score);
        var weights = nbest.Select(p => Math.Exp((alpha * p.Score) - top)).ToArray();
        double u = random.NextDouble() * weights.Sum();
        int chosen = nbest.Count - 1;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                chosen = i;
                break;
            }
        }

        output.AddRange(ToTokens(word, lattice, nbest[chosen].Path));
    }

    private List<Token> ToTokens(string word, UnigramLattice lattice, int[] nodes)
    {
        var tokens = new List<Token>();
        AppendPath(word, nodes.Select(i => (lattice[i].Start, lattice[i].End, lattice[i].Id)).ToList(), tokens);
        return tokens;
    }
}
