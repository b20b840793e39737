// Unigram language-model vocabulary training (Kudo 2018, "Subword Regularization"; google/sentencepiece
// unigram_model_trainer.cc) with the choices of Hugging Face tokenizers models/unigram/trainer.rs:
// 1. seeds: every character (score = its weighted count) and every repeated substring of 2..max_piece_length
//    characters of the distinct words joined by "\0" (score = occurrences × length; RepeatedSubstrings), best
//    seed_size of them, as log probabilities;
// 2. EM: the E-step adds each word's expected piece counts (forward-backward over its lattice) × its count; the
//    M-step drops pieces expected fewer than 0.5 times and scores the rest digamma(count) − digamma(total)
//    (Bayesian EM with a sparse prior, Liang 2007), n_sub_iterations times;
// 3. pruning: each piece's loss is the likelihood drop if its occurrences went to its second-best segmentation;
//    the pieces with the largest losses are kept, shrinking the vocabulary by shrinking_factor, until it holds at
//    most 1.1 × vocab_size pieces;
// 4. finalising: every character of the corpus is kept (scored at the model minimum if it was dropped), the best
//    remaining pieces fill the vocabulary, sorted by score, after the special tokens (and the unknown token).
// HF's run-to-run variation (hash-set order of the required characters, floating-point summation order of parallel
// chunks) does not exist here: characters are visited in code-point order and the E-step sums fixed chunks in order,
// so the result does not depend on the number of threads. Deviations from HF, on purpose: the training unknown piece
// never matches text, a model piece equal to a special token is not added twice, and the vocabulary stops filling
// once full even when the required characters alone overfill it (HF then adds every piece).
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Trainers;

/// <summary>Trains a <see cref="UnigramModel"/>.</summary>
public sealed record UnigramTrainer
{
    private const int Chunks = 16;
    private const double UnknownPenalty = 10.0;

    /// <summary>Target vocabulary size (special tokens included).</summary>
    public int VocabSize { get; init; } = 8000;

    /// <summary>EM iterations between two pruning steps.</summary>
    public int SubIterations { get; init; } = 2;

    /// <summary>Share of pieces each pruning step keeps.</summary>
    public double ShrinkingFactor { get; init; } = 0.75;

    /// <summary>Special tokens, given the first ids.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>Unknown token (placed first when it is not one of the special tokens; null: no unknown token).</summary>
    public string? UnkToken { get; init; } = "<unk>";

    /// <summary>Characters always in the vocabulary.</summary>
    public IReadOnlyList<char> InitialAlphabet { get; init; } = [];

    /// <summary>Longest seed piece, in code points.</summary>
    public int MaxPieceLength { get; init; } = 16;

    /// <summary>Number of seed pieces EM starts from.</summary>
    public int SeedSize { get; init; } = 1_000_000;

    /// <summary>Threads for the E-step and pruning (null: all cores); the result does not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    private ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = MaxDegreeOfParallelism ?? -1 };

    /// <summary>Trains on word counts.</summary>
    /// <exception cref="TokenizerException">The vocabulary cannot hold every character of the corpus, or the options are invalid.</exception>
    public UnigramModel Train(IReadOnlyDictionary<string, long> wordCounts)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        Validate();
        var words = wordCounts.Where(kv => kv.Key.Length > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Text: kv.Key, Count: (double)kv.Value)).ToList();
        var required = RequiredCharacters(words);
        if (required.Count > VocabSize)
        {
            throw new TokenizerException($"Unigram trainer: the vocabulary is not large enough to contain all chars (VocabularyTooSmall): " +
                $"{required.Count} distinct characters, vocab_size {VocabSize}.");
        }

        // Piece 0 is the training-time unknown piece (score NaN, never matched in text).
        var pieces = new List<(string Piece, double Score)> { ("<UNK>", double.NaN) };
        pieces.AddRange(SeedPieces(words));
        int desired = VocabSize * 11 / 10;
        while (true)
        {
            for (int iteration = 0; iteration < SubIterations; iteration++)
            {
                var expected = ExpectedCounts(pieces, words);
                pieces = Maximise(pieces, expected);
            }

            if (pieces.Count <= desired)
            {
                break;
            }

            pieces = Prune(pieces, words);
        }

        return Finalise(pieces, required);
    }

    /// <summary>Trains <paramref name="tokenizer"/>'s model on text files and returns the new tokenizer (same pipeline, new model, special tokens added).</summary>
    public Tokenizer TrainFromFiles(Tokenizer tokenizer, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(files);
        var counts = WordCounter.Count(tokenizer, files.SelectMany(f => WordCounter.LinesWithEndings(File.ReadAllText(f))));
        return TrainerSupport.Rebuild(tokenizer, Train(counts), SpecialTokens);
    }

    private void Validate()
    {
        if (VocabSize <= SpecialTokens.Count)
        {
            throw new TokenizerException($"Unigram trainer: vocab_size {VocabSize} must exceed the {SpecialTokens.Count} special tokens.");
        }

        if (SubIterations < 1 || ShrinkingFactor is <= 0 or >= 1 || MaxPieceLength < 1 || SeedSize < 1)
        {
            throw new TokenizerException($"Unigram trainer: expected n_sub_iterations ≥ 1, 0 < shrinking_factor < 1, max_piece_length ≥ 1 and " +
                $"seed_size ≥ 1; found {SubIterations}, {ShrinkingFactor}, {MaxPieceLength}, {SeedSize}.");
        }
    }

    /// <summary>Every character of the corpus and of the initial alphabet, in code-point order.</summary>
    private List<string> RequiredCharacters(List<(string Text, double Count)> words)
    {
        var set = new SortedSet<int>(InitialAlphabet.Select(c => (int)c));
        foreach (var (text, _) in words)
        {
            foreach (var r in text.EnumerateRunes())
            {
                set.Add(r.Value);
            }
        }

        return set.Select(char.ConvertFromUtf32).ToList();
    }

    /// <summary>Characters by weighted count, then repeated substrings by occurrences × length; log probabilities.</summary>
    internal List<(string Piece, double Score)> SeedPieces(List<(string Text, double Count)> words)
    {
        var flat = new List<int>();
        var charCounts = new Dictionary<int, double>();
        foreach (var (word, count) in words)
        {
            foreach (var r in word.EnumerateRunes())
            {
                flat.Add(r.Value);
                if (r.Value != 0)
                {
                    charCounts[r.Value] = charCounts.GetValueOrDefault(r.Value) + count;
                }
            }

            flat.Add(0);
        }

        var seeds = charCounts.OrderByDescending(kv => kv.Value).ThenByDescending(kv => kv.Key)
            .Select(kv => (char.ConvertFromUtf32(kv.Key), kv.Value)).ToList();
        int[] text = [.. flat];
        var substrings = new List<(long Score, int Offset, int Length)>();
        foreach (var (offset, length, occurrences) in RepeatedSubstrings.Enumerate(text))
        {
            if (length <= 1 || length > MaxPieceLength || Array.IndexOf(text, 0, offset, length) >= 0)
            {
                continue;
            }

            substrings.Add(((long)occurrences * length, offset, length));
        }

        // Decreasing score, then decreasing code-point sequence.
        substrings.Sort((a, b) =>
        {
            int c = b.Score.CompareTo(a.Score);
            return c != 0 ? c : text.AsSpan(b.Offset, b.Length).SequenceCompareTo(text.AsSpan(a.Offset, a.Length));
        });
        foreach (var (score, offset, length) in substrings)
        {
            if (seeds.Count >= SeedSize)
            {
                break;
            }

            var sb = new System.Text.StringBuilder(length);
            for (int i = offset; i < offset + length; i++)
            {
                sb.Append(char.ConvertFromUtf32(text[i]));
            }

            seeds.Add((sb.ToString(), score));
        }

        double logSum = Math.Log(seeds.Sum(s => s.Item2));
        return seeds.Select(s => (s.Item1, Math.Log(s.Item2) - logSum)).ToList();
    }

    /// <summary>A trie over the pieces (piece 0 excluded), the unknown score (min score − 10) and a lattice builder.</summary>
    private static Func<string, UnigramLattice> LatticeBuilder(List<(string Piece, double Score)> pieces)
    {
        var trie = new CharTrie();
        double min = double.PositiveInfinity;
        for (int i = 1; i < pieces.Count; i++)
        {
            trie.Add(pieces[i].Piece, i);
            min = Math.Min(min, pieces[i].Score);
        }

        double unkScore = min - UnknownPenalty;
        return text => UnigramLattice.Build(text, trie, id => pieces[id].Score, 0, unkScore);
    }

    /// <summary>The chunk of <paramref name="count"/> items that chunk <paramref name="c"/> covers (fixed, thread-independent).</summary>
    private static (int Start, int End) ChunkRange(int c, int count) => ((int)((long)count * c / Chunks), (int)((long)count * (c + 1) / Chunks));

    /// <summary>E-step: expected count of every piece over all words.</summary>
    private double[] ExpectedCounts(List<(string Piece, double Score)> pieces, List<(string Text, double Count)> words)
    {
        var build = LatticeBuilder(pieces);
        var partial = new double[Chunks][];
        Parallel.For(0, Chunks, Parallelism, c =>
        {
            var expected = new double[pieces.Count];
            var (start, end) = ChunkRange(c, words.Count);
            for (int i = start; i < end; i++)
            {
                double z = build(words[i].Text).AccumulateMarginals(words[i].Count, expected);
                if (double.IsNaN(z))
                {
                    throw new TokenizerException($"Unigram trainer: the likelihood of '{words[i].Text}' is NaN (the word may be too long).");
                }
            }

            partial[c] = expected;
        });
        var total = new double[pieces.Count];
        foreach (var p in partial)
        {
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += p[i];
            }
        }

        return total;
    }

    /// <summary>M-step: pieces expected at least 0.5 times, scored digamma(count) − digamma(total); piece 0 kept.</summary>
    private static List<(string Piece, double Score)> Maximise(List<(string Piece, double Score)> pieces, double[] expected)
    {
        var kept = new List<(string Piece, double Count)> { (pieces[0].Piece, double.NaN) };
        double sum = 0;
        for (int i = 1; i < pieces.Count; i++)
        {
            if (expected[i] < 0.5)
            {
                continue;
            }

            kept.Add((pieces[i].Piece, expected[i]));
            sum += expected[i];
        }

        double logSum = Digamma(sum);
        return kept.Select(k => (k.Piece, Digamma(k.Count) - logSum)).ToList();
    }

    /// <summary>The digamma function ψ(x): recurrence up to 7, then the asymptotic series (as sentencepiece and HF).</summary>
    internal static double Digamma(double x)
    {
        double result = 0;
        while (x < 7)
        {
            result -= 1 / x;
            x += 1;
        }

        x -= 0.5;
        double xx = 1 / x;
        double xx2 = xx * xx;
        double xx4 = xx2 * xx2;
        result += Math.Log(x) + (xx2 / 24) - (7.0 / 960 * xx4) + (31.0 / 8064 * xx4 * xx2) - (127.0 / 30720 * xx4 * xx4);
        return result;
    }

    /// <summary>Keeps piece 0, the pieces without an alternative segmentation, then the pieces whose removal costs most.</summary>
    private List<(string Piece, double Score)> Prune(List<(string Piece, double Score)> pieces, List<(string Text, double Count)> words)
    {
        var build = LatticeBuilder(pieces);
        int n = pieces.Count;
        var alwaysKeep = new bool[n];
        var alternatives = new int[n][];
        Parallel.For(1, n, Parallelism, id =>
        {
            var lattice = build(pieces[id].Piece);
            var nbest = lattice.NBest(2);
            alternatives[id] = [];
            if (nbest.Count == 1)
            {
                alwaysKeep[id] = true;
            }
            else if (nbest[0].Path.Length >= 2)
            {
                alwaysKeep[id] = false;
            }
            else
            {
                alwaysKeep[id] = true;
                alternatives[id] = nbest[1].Path.Select(node => lattice[node].Id).ToArray();
            }
        });

        // Viterbi counts: freq[id] = Σ count over occurrences; inWords[id] = Σ count of the words holding it, per occurrence (HF's inverted index).
        var freqParts = new double[Chunks][];
        var vsumParts = new double[Chunks];
        Parallel.For(0, Chunks, Parallelism, c =>
        {
            var freq = new double[n];
            var (start, end) = ChunkRange(c, words.Count);
            double vsum = 0;
            for (int i = start; i < end; i++)
            {
                var lattice = build(words[i].Text);
                vsum += words[i].Count;
                foreach (int node in lattice.Viterbi().Path)
                {
                    freq[lattice[node].Id] += words[i].Count;
                }
            }

            freqParts[c] = freq;
            vsumParts[c] = vsum;
        });
        var frequency = new double[n];
        double wordTotal = 0;
        for (int c = 0; c < Chunks; c++)
        {
            wordTotal += vsumParts[c];
            for (int i = 0; i < n; i++)
            {
                frequency[i] += freqParts[c][i];
            }
        }

        double sum = frequency.Sum();
        double logSum = Math.Log(sum);
        var result = new List<(string Piece, double Score)> { pieces[0] };
        var candidates = new List<(int Id, double Loss)>();
        for (int id = 1; id < n; id++)
        {
            if (frequency[id] == 0 && !alwaysKeep[id])
            {
                continue; // Not on any best path: safe to remove.
            }

            if (alternatives[id].Length == 0)
            {
                result.Add(pieces[id]);
                continue;
            }

            // The word frequency of the piece equals its occurrence frequency (HF sums the word counts per occurrence).
            double f = frequency[id];
            if (f == 0 || double.IsNaN(f))
            {
                continue;
            }

            f /= wordTotal;
            double logProbPiece = Math.Log(frequency[id]) - logSum;

            // HF (and sentencepiece before it) grows the total by freq × (number of pieces − 1), not by the number of alternatives − 1.
            double logSumAlt = Math.Log(sum + (frequency[id] * (n - 1)));
            double logProbAlt = 0;
            foreach (int alt in alternatives[id])
            {
                logProbAlt += Math.Log(frequency[alt] + frequency[id]) - logSumAlt;
            }

            candidates.Add((id, f * (logProbPiece - logProbAlt)));
        }

        int prunedSize = Math.Max(VocabSize * 11 / 10, (int)(n * ShrinkingFactor));
        foreach (var (id, _) in candidates.OrderByDescending(c => c.Loss))
        {
            if (result.Count >= prunedSize)
            {
                break;
            }

            result.Add(pieces[id]);
        }

        return result;
    }

    /// <summary>Special tokens (and the unknown token), then every required character and the best pieces, by decreasing score.</summary>
    private UnigramModel Finalise(List<(string Piece, double Score)> pieces, List<string> required)
    {
        double minScore = pieces.Skip(1).Select(p => p.Score).DefaultIfEmpty(0).Min();
        var existing = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (piece, score) in pieces.Skip(1))
        {
            existing.TryAdd(piece, score);
        }

        int? unkId = null;
        bool addUnk = false;
        if (UnkToken is { } unk)
        {
            int index = SpecialTokens.ToList().IndexOf(unk);
            (unkId, addUnk) = index >= 0 ? (index, false) : (0, true);
        }

        var specials = new List<string>(SpecialTokens);
        if (addUnk)
        {
            specials.Insert(0, UnkToken!);
        }

        var inserted = new HashSet<string>(specials, StringComparer.Ordinal);
        int capacity = VocabSize - specials.Count;
        var chosen = new List<(string Piece, double Score)>();
        double penalty = 0;
        foreach (var c in required)
        {
            if (!inserted.Add(c))
            {
                continue;
            }

            if (existing.TryGetValue(c, out double score))
            {
                chosen.Add((c, score));
            }
            else
            {
                chosen.Add((c, minScore + penalty));
                penalty += 0.0001;
            }
        }

        foreach (var (piece, score) in pieces.Skip(1))
        {
            if (chosen.Count >= capacity)
            {
                break;
            }

            if (inserted.Add(piece))
            {
                chosen.Add((piece, score));
            }
        }

        var ordered = specials.Select(s => (s, 0.0)).Concat(chosen.OrderByDescending(p => p.Score)).ToList();
        return new UnigramModel(ordered, unkId, byteFallback: false);
    }
}
