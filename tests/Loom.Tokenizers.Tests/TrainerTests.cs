// Deterministic trainers against Hugging Face: byte-level BPE and WordLevel trained on the same corpus with the same
// options must give byte-identical tokenizer.json (shared/fixtures/tokenizers/trainers, copied to testdata).
using Loom.Tokenizers.Serialization;
using Loom.Tokenizers.Trainers;

namespace Loom.Tokenizers.Tests;

public class TrainerTests
{
    private static string Dir => Path.Combine(TestData.Dir, "trainers");

    [Fact]
    public void ByteLevelBpe1000EqualsHuggingFace()
    {
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_bytelevel_bpe.json"));
        var trainer = new BpeTrainer
        {
            VocabSize = 1000,
            MinFrequency = 2,
            SpecialTokens = ["<|endoftext|>", "<pad>"],
            InitialAlphabet = ByteLevelAlphabet.Alphabet,
        };
        var trained = trainer.TrainFromFiles(template, [Path.Combine(Dir, "shakespeare_200k.txt")]);
        string expected = File.ReadAllText(Path.Combine(Dir, "bpe_bytelevel_1000.trained.tokenizer.json"));
        Assert.Equal(expected, TokenizerJsonWriter.ToJson(trained, pretty: true));
    }

    [Fact]
    public void WordLevel5000EqualsHuggingFace()
    {
        var template = TokenizerJson.Load(Path.Combine(Dir, "template_wordlevel_ws.json"));
        var trainer = new WordLevelTrainer { VocabSize = 5000, MinFrequency = 2, SpecialTokens = ["[UNK]", "[PAD]"], UnkToken = "[UNK]" };
        var trained = trainer.TrainFromFiles(template, [Path.Combine(Dir, "shakespeare_200k.txt")]);
        string expected = File.ReadAllText(Path.Combine(Dir, "wordlevel_5000.trained.tokenizer.json"));
        Assert.Equal(expected, TokenizerJsonWriter.ToJson(trained, pretty: true));
    }

    [Theory]
    [MemberData(nameof(HfFixtureConformanceTests.Names), MemberType = typeof(HfFixtureConformanceTests))]
    public void SavedTokenizerJsonLoadsBackAndEncodesTheSame(string name)
    {
        var original = TestData.LoadTokenizer(name);
        var reloaded = TokenizerJson.Parse(TokenizerJsonWriter.ToJson(original), name + " (saved)");
        Assert.Equal(TokenizerJsonWriter.ToJson(original), TokenizerJsonWriter.ToJson(reloaded));
        var strings = TestData.ReadJson($"{name}.expected.json.gz")["single"]!.AsArray().Select(c => (string)c!["text"]!).ToList();
        foreach (var s in strings)
        {
            var a = original.Encode(s);
            var b = reloaded.Encode(s);
            Assert.Equal(a.Ids, b.Ids);
            Assert.Equal(a.Offsets, b.Offsets);
            Assert.Equal(original.Decode(a.Ids), reloaded.Decode(b.Ids));
        }
    }
}
