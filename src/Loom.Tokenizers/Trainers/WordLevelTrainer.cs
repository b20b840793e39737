// Word-level vocabulary training as Hugging Face tokenizers models/wordlevel/trainer.rs: special tokens first, then
// the words with at least min_frequency occurrences by decreasing count (ties: ordinal order), up to vocab_size.
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Trainers;

/// <summary>Trains a <see cref="WordLevelModel"/>.</summary>
public sealed record WordLevelTrainer
{
    /// <summary>Maximum vocabulary size (special tokens included).</summary>
    public int VocabSize { get; init; } = 30_000;

    /// <summary>Minimum count of a word.</summary>
    public long MinFrequency { get; init; }

    /// <summary>Special tokens, given the first ids.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>Unknown token of the trained model.</summary>
    public string UnkToken { get; init; } = "[UNK]";

    /// <summary>Builds the vocabulary from word counts.</summary>
    public WordLevelModel Train(IReadOnlyDictionary<string, long> wordCounts)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var ordered = wordCounts.Where(kv => kv.Value >= MinFrequency)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in SpecialTokens.Concat(ordered).Take(VocabSize))
        {
            vocab.TryAdd(w, vocab.Count);
        }

        return new WordLevelModel(vocab, UnkToken);
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
