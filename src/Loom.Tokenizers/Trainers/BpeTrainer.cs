// BPE vocabulary training (Sennrich et al. 2016) as Hugging Face tokenizers models/bpe/trainer.rs: special tokens,
// then the alphabet (seen characters plus the initial alphabet, optionally limited to the most frequent, sorted by
// code point), then repeatedly the most frequent adjacent pair (ties: smallest id pair) is merged in every word
// that holds it, with pair counts updated incrementally from the changes each merge makes. Merging stops at
// vocab_size or when the best pair is rarer than min_frequency. Without prefix/suffix it is deterministic.
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Trainers;

/// <summary>Trains a <see cref="BpeModel"/>.</summary>
public sealed record BpeTrainer
{
    /// <summary>Target vocabulary size (special tokens and alphabet included).</summary>
    public int VocabSize { get; init; } = 30_000;

    /// <summary>Minimum count of a pair to be merged.</summary>
    public long MinFrequency { get; init; }

    /// <summary>Special tokens, given the first ids.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>Characters always in the alphabet (e.g. <see cref="ByteLevelAlphabet.Alphabet"/>).</summary>
    public IReadOnlyList<char> InitialAlphabet { get; init; } = [];

    /// <summary>Keep only this many most frequent characters (null: all).</summary>
    public int? LimitAlphabet { get; init; }

    /// <summary>Prefix of non-initial subwords.</summary>
    public string? ContinuingSubwordPrefix { get; init; }

    /// <summary>Suffix of word-final subwords.</summary>
    public string? EndOfWordSuffix { get; init; }

    private sealed class Word
    {
        public List<int> Symbols { get; } = [];

        public List<int> Lengths { get; } = [];

        public List<((int, int) Pair, int Change)> Merge(int c1, int c2, int replacement)
        {
            var changes = new List<((int, int), int)>();
            for (int i = 0; i < Symbols.Count; i++)
            {
                if (Symbols[i] != c1 || i + 1 >= Symbols.Count || Symbols[i + 1] != c2)
                {
                    continue;
                }

                int second = Symbols[i + 1];
                int newLength = Lengths[i] + Lengths[i + 1];
                if (i > 0)
                {
                    changes.Add(((Symbols[i - 1], c1), -1));
                    changes.Add(((Symbols[i - 1], replacement), 1));
                }

                Symbols[i] = replacement;
                Lengths[i] = newLength;
                Symbols.RemoveAt(i + 1);
                Lengths.RemoveAt(i + 1);
                if (i < Symbols.Count - 1)
                {
                    changes.Add(((second, Symbols[i + 1]), -1));
                    changes.Add(((replacement, Symbols[i + 1]), 1));
                }
            }

            return changes;
        }
    }

    /// <summary>Trains on word counts.</summary>
    public BpeModel Train(IReadOnlyDictionary<string, long> wordCounts)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var wordToId = new Dictionary<string, int>(StringComparer.Ordinal);
        var idToWord = new List<string>();
        void AddToken(string t)
        {
            if (!wordToId.ContainsKey(t))
            {
                wordToId[t] = idToWord.Count;
                idToWord.Add(t);
            }
        }

        foreach (var s in SpecialTokens)
        {
            AddToken(s);
        }

        // Alphabet.
        var alphabet = new Dictionary<int, long>();
        foreach (var (w, c) in wordCounts)
        {
            foreach (var r in w.EnumerateRunes())
            {
                alphabet[r.Value] = alphabet.GetValueOrDefault(r.Value) + c;
            }
        }

        foreach (char c in InitialAlphabet)
        {
            alphabet[c] = long.MaxValue;
        }

        var kept = alphabet.ToList();
        if (LimitAlphabet is { } limit && kept.Count > limit)
        {
            // The rarest characters go; among equal counts the higher code points go first (HF: unspecified).
            kept = kept.OrderBy(k => k.Value).ThenByDescending(k => k.Key).Skip(kept.Count - limit).ToList();
        }

        foreach (var (cp, _) in kept.OrderBy(k => k.Key))
        {
            AddToken(char.ConvertFromUtf32(cp));
        }

        // Words as symbol ids (ordinal word order, so that prefixed/suffixed alphabet ids are deterministic here).
        var words = new List<Word>();
        var counts = new List<long>();
        foreach (var (w, c) in wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var word = new Word();
            var runes = w.EnumerateRunes().ToList();
            for (int i = 0; i < runes.Count; i++)
            {
                string s = runes[i].ToString();
                if (!wordToId.ContainsKey(s))
                {
                    continue;
                }

                if (i > 0 && ContinuingSubwordPrefix is { } prefix)
                {
                    s = prefix + s;
                }

                if (i == runes.Count - 1 && EndOfWordSuffix is { } suffix)
                {
                    s += suffix;
                }

                AddToken(s);
                word.Symbols.Add(wordToId[s]);
                word.Lengths.Add(1);
            }

            words.Add(word);
            counts.Add(c);
        }

        // Pair counts and positions.
        var pairCounts = new Dictionary<(int, int), long>();
        var whereToUpdate = new Dictionary<(int, int), HashSet<int>>();
        for (int i = 0; i < words.Count; i++)
        {
            var s = words[i].Symbols;
            for (int k = 0; k + 1 < s.Count; k++)
            {
                var pair = (s[k], s[k + 1]);
                pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + counts[i];
                if (!whereToUpdate.TryGetValue(pair, out var set))
                {
                    whereToUpdate[pair] = set = [];
                }

                set.Add(i);
            }
        }

        // Max count first, then the smallest pair.
        var queue = new PriorityQueue<((int A, int B) Pair, long Count, HashSet<int> Positions), (long, int, int)>();
        void Flush()
        {
            foreach (var (pair, positions) in whereToUpdate)
            {
                long c = pairCounts[pair];
                if (c > 0)
                {
                    queue.Enqueue((pair, c, positions), (-c, pair.Item1, pair.Item2));
                }
            }

            whereToUpdate.Clear();
        }

        Flush();
        var merges = new List<(string, string)>();
        while (wordToId.Count < VocabSize && queue.TryDequeue(out var top, out _))
        {
            long current = pairCounts[top.Pair];
            if (top.Count != current)
            {
                queue.Enqueue((top.Pair, current, top.Positions), (-current, top.Pair.A, top.Pair.B));
                continue;
            }

            if (top.Count < 1 || MinFrequency > top.Count)
            {
                break;
            }

            string a = idToWord[top.Pair.A];
            string b = idToWord[top.Pair.B];
            if (ContinuingSubwordPrefix is { } p && b.StartsWith(p, StringComparison.Ordinal))
            {
                b = b[p.Length..];
            }

            string merged = a + b;
            AddToken(merged);
            int newId = wordToId[merged];
            merges.Add((idToWord[top.Pair.A], idToWord[top.Pair.B]));
            foreach (int i in top.Positions.Order())
            {
                foreach (var (pair, change) in words[i].Merge(top.Pair.A, top.Pair.B, newId))
                {
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + (change * counts[i]);
                    if (change > 0)
                    {
                        if (!whereToUpdate.TryGetValue(pair, out var set))
                        {
                            whereToUpdate[pair] = set = [];
                        }

                        set.Add(i);
                    }
                }
            }

            Flush();
        }

        var options = new BpeOptions { ContinuingSubwordPrefix = ContinuingSubwordPrefix, EndOfWordSuffix = EndOfWordSuffix };
        return new BpeModel(wordToId, merges, options);
    }

    /// <summary>Trains <paramref name="tokenizer"/>'s model on text files and returns the new tokenizer (same pipeline, new model, special tokens added).</summary>
    public Tokenizer TrainFromFiles(Tokenizer tokenizer, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(files);
        var counts = WordCounter.Count(tokenizer, files.SelectMany(f => WordCounter.LinesWithEndings(File.ReadAllText(f))));
        return TrainerSupport.Rebuild(tokenizer, Train(counts), SpecialTokens);
    }
}
