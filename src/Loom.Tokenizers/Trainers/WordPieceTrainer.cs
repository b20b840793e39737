// WordPiece vocabulary training as Hugging Face tokenizers models/wordpiece/trainer.rs: a BPE trainer whose
// non-initial symbols carry the continuing-subword prefix ("##" by default) learns the merges; the WordPiece model
// keeps only the resulting vocabulary (special tokens, alphabet, "##"-prefixed alphabet, merged pieces) and takes
// its unknown token and word-length limit from the model it replaces. HF's run-to-run variation (the ids of the
// prefixed alphabet follow hash-map word order) does not exist here: words are visited in ordinal order.
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Trainers;

/// <summary>Trains a <see cref="WordPieceModel"/>.</summary>
public sealed record WordPieceTrainer
{
    /// <summary>Target vocabulary size (special tokens and alphabet included).</summary>
    public int VocabSize { get; init; } = 30_000;

    /// <summary>Minimum count of a pair to be merged.</summary>
    public long MinFrequency { get; init; }

    /// <summary>Special tokens, given the first ids.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>Characters always in the alphabet.</summary>
    public IReadOnlyList<char> InitialAlphabet { get; init; } = [];

    /// <summary>Keep only this many most frequent characters (null: all).</summary>
    public int? LimitAlphabet { get; init; }

    /// <summary>Prefix of non-initial pieces.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";

    /// <summary>Suffix of word-final pieces during training (HF allows it; the WordPiece model ignores it).</summary>
    public string? EndOfWordSuffix { get; init; }

    /// <summary>Trains on word counts; <paramref name="unkToken"/> and <paramref name="maxInputCharsPerWord"/> go to the model unchanged.</summary>
    public WordPieceModel Train(IReadOnlyDictionary<string, long> wordCounts, string unkToken = "[UNK]", int maxInputCharsPerWord = 100)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        var bpe = new BpeTrainer
        {
            VocabSize = VocabSize,
            MinFrequency = MinFrequency,
            SpecialTokens = SpecialTokens,
            InitialAlphabet = InitialAlphabet,
            LimitAlphabet = LimitAlphabet,
            ContinuingSubwordPrefix = ContinuingSubwordPrefix,
            EndOfWordSuffix = EndOfWordSuffix,
        }.Train(wordCounts);
        return new WordPieceModel(bpe.Vocab.ToDictionary(), unkToken, ContinuingSubwordPrefix, maxInputCharsPerWord);
    }

    /// <summary>Trains <paramref name="tokenizer"/>'s model on text files and returns the new tokenizer (same pipeline, new model, special tokens added).</summary>
    public Tokenizer TrainFromFiles(Tokenizer tokenizer, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(files);
        var counts = WordCounter.Count(tokenizer, files.SelectMany(f => WordCounter.LinesWithEndings(File.ReadAllText(f))));
        var previous = tokenizer.Model as WordPieceModel;
        var model = Train(counts, previous?.UnkToken ?? "[UNK]", previous?.MaxInputCharsPerWord ?? 100);
        return TrainerSupport.Rebuild(tokenizer, model, SpecialTokens);
    }
}
