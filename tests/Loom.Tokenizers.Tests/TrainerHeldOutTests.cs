// Non-deterministic Hugging Face trainers (WordPiece, Unigram) against their quality figure: the total number of ids
// needed to encode a held-out text, every non-empty line separately without special tokens
// (shared/fixtures/tokenizers/README.md section 5; figures copied to testdata/tokenizers/trainers/heldout_tokens.json).
// A Loom-trained tokenizer must land within 1% of HF's count. Configs whose corpus is "shared only"
// (waimai / hotel reviews) run only where ../shared is present.
using System.Text.Json.Nodes;
using Loom.Tokenizers.Serialization;
using Loom.Tokenizers.Trainers;
using Xunit.Abstractions;

namespace Loom.Tokenizers.Tests;

public class TrainerHeldOutTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.01;

    private static string Dir => Path.Combine(TestData.Dir, "trainers");

    private static JsonNode Config(string name) => TestData.ReadJson(Path.Combine("trainers", "heldout_tokens.json"))["configs"]![name]!;

    /// <summary>HF's held-out count (run 1) for a config and held-out file.</summary>
    private static int Expected(string config, string heldOut) => (int)Config(config)["heldout_total_tokens"]![heldOut]![0]!;

    /// <summary>Total ids over the non-empty lines of <paramref name="path"/>, each encoded alone without special tokens.</summary>
    internal static long HeldOutTokens(Tokenizer tokenizer, string path)
    {
        var lines = File.ReadAllText(path).Split('\n').Where(l => l.Length > 0).ToList();
        return tokenizer.EncodeBatch(lines, addSpecialTokens: false).Sum(e => (long)e.Length);
    }

    private void AssertWithinTolerance(int expected, long actual, string what)
    {
        double relative = Math.Abs(actual - expected) / (double)expected;
        output.WriteLine($"{what}: Loom {actual}, HF {expected} ({relative:P2})");
        Assert.True(relative <= Tolerance, $"{what}: {actual} held-out tokens, HF {expected} ({relative:P2} apart, tolerance {Tolerance:P0}).");
    }

    private static string Shared(string relativePath) => SharedFixtureFactAttribute.Locate(relativePath)!;

    [Fact]
    public void HfTrainedUnigramGivesTheRecordedHeldOutCount()
    {
        // Checks the counting itself: HF's own trained tokenizer (post-processor irrelevant without special tokens).
        var hf = TokenizerJson.Load(Path.Combine(Dir, "unigram_1000.trained.tokenizer.json"));
        Assert.Equal(Expected("unigram_1000", "shakespeare_heldout_100k.txt"), HeldOutTokens(hf, Path.Combine(Dir, "shakespeare_heldout_100k.txt")));
    }

    [SharedFixtureFact("trainers/_setup/waimai_reviews.txt")]
    public void WordPiece2000HeldOutCountsMatchHuggingFace()
    {
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_bert_wordpiece.json"));
        var trainer = new WordPieceTrainer
        {
            VocabSize = 2000,
            MinFrequency = 2,
            LimitAlphabet = 1000,
            ContinuingSubwordPrefix = "##",
            SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        };
        var trained = trainer.TrainFromFiles(template, [Path.Combine(Dir, "shakespeare_200k.txt"), Shared("trainers/_setup/waimai_reviews.txt")]);
        Assert.Equal(2000, trained.GetVocabSize());
        AssertWithinTolerance(Expected("wordpiece_2000", "shakespeare_heldout_100k.txt"),
            HeldOutTokens(trained, Path.Combine(Dir, "shakespeare_heldout_100k.txt")), "wordpiece_2000 shakespeare");
        AssertWithinTolerance(Expected("wordpiece_2000", "hotel_heldout.txt"),
            HeldOutTokens(trained, Shared("trainers/_setup/hotel_heldout.txt")), "wordpiece_2000 hotel");
    }

    private static UnigramTrainer Unigram(int vocabSize) => new()
    {
        VocabSize = vocabSize,
        UnkToken = "<unk>",
        SpecialTokens = ["<pad>", "</s>", "<unk>"],
    };

    [Fact]
    public void Unigram1000HeldOutCountMatchesHuggingFace()
    {
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_sp_unigram.json"));
        var trained = Unigram(1000).TrainFromFiles(template, [Path.Combine(Dir, "shakespeare_200k.txt")]);
        Assert.Equal(1000, trained.GetVocabSize());
        Assert.Equal(["<pad>", "</s>", "<unk>"], Enumerable.Range(0, 3).Select(i => trained.IdToToken(i)));

        // HF's piece set was the same in all its runs (README section 5); scores differed by up to 5e-4 between runs.
        var hf = ((Models.UnigramModel)TokenizerJson.Load(Path.Combine(Dir, "unigram_1000.trained.tokenizer.json")).Model).Pieces.ToDictionary();
        var ours = ((Models.UnigramModel)trained.Model).Pieces.ToDictionary();
        Assert.Equal(hf.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        double maxDifference = ours.Max(p => Math.Abs(p.Value - hf[p.Key]));
        output.WriteLine($"unigram_1000: same {ours.Count} pieces as HF, max |score difference| {maxDifference:G3}");
        Assert.True(maxDifference < 1e-3, $"max score difference {maxDifference}");
        AssertWithinTolerance(Expected("unigram_1000", "shakespeare_heldout_100k.txt"),
            HeldOutTokens(trained, Path.Combine(Dir, "shakespeare_heldout_100k.txt")), "unigram_1000 shakespeare");
        if (SharedFixtureFactAttribute.Locate("trainers/_setup/hotel_heldout.txt") is { } hotel)
        {
            AssertWithinTolerance(Expected("unigram_1000", "hotel_heldout.txt"), HeldOutTokens(trained, hotel), "unigram_1000 hotel");
        }
    }

    [SharedFixtureFact("trainers/_setup/waimai_reviews.txt")]
    public void Unigram4000ChineseHeldOutCountsMatchHuggingFace()
    {
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_sp_unigram.json"));
        var trained = Unigram(4000).TrainFromFiles(template, [Shared("trainers/_setup/waimai_reviews.txt")]);
        Assert.Equal(4000, trained.GetVocabSize());
        AssertWithinTolerance(Expected("unigram_4000_zh", "shakespeare_heldout_100k.txt"),
            HeldOutTokens(trained, Path.Combine(Dir, "shakespeare_heldout_100k.txt")), "unigram_4000_zh shakespeare");
        AssertWithinTolerance(Expected("unigram_4000_zh", "hotel_heldout.txt"),
            HeldOutTokens(trained, Shared("trainers/_setup/hotel_heldout.txt")), "unigram_4000_zh hotel");
    }

    [SharedFixtureFact("trainers/_setup/waimai_reviews.txt")]
    public void Unigram1000OnWaimaiIsTooSmall()
    {
        // shared/fixtures/tokenizers/trainers/_expected_errors.json: 2,559 distinct characters do not fit in 1,000.
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_sp_unigram.json"));
        var e = Assert.Throws<TokenizerException>(() => Unigram(1000).TrainFromFiles(template, [Shared("trainers/_setup/waimai_reviews.txt")]));
        Assert.Contains("VocabularyTooSmall", e.Message, StringComparison.Ordinal);
    }
}
