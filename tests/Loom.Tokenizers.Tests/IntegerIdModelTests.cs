// Anonymised integer-id corpora: hand-derived expectations for the three strategies and the unseen-id policies.
using Loom.Tokenizers.Models;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Trainers;

namespace Loom.Tokenizers.Tests;

public class IntegerIdModelTests
{
    private static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];

    private static Tokenizer With(ITokenizerModel model) => new(model) { PreTokenizer = new WhitespaceSplitPreTokenizer() };

    [Fact]
    public void DirectIdsSitAboveTheSpecialBlock()
    {
        var tok = With(new IntegerIdModel(Specials, direct: true, maxNumber: 1000));
        var enc = tok.Encode("14 108 28 30");
        Assert.Equal([18, 112, 32, 34], enc.Ids);
        Assert.Equal([(0, 2), (3, 6), (7, 9), (10, 12)], enc.Offsets);
        Assert.Equal("14 108 28 30", tok.Decode(enc.Ids));
        Assert.Equal([1], tok.Encode("5000").Ids); // above maxNumber → [UNK]
        Assert.Equal([1], tok.Encode("abc").Ids);
    }

    [Fact]
    public void UnseenNumbersCanFailOrGrowTheVocabulary()
    {
        var strict = With(new IntegerIdModel(Specials, direct: false, numbers: [14, 108], policy: UnseenIdPolicy.Fail));
        Assert.Equal([4, 5], strict.Encode("14 108").Ids);
        var e = Assert.Throws<TokenizerException>(() => strict.Encode("14 99"));
        Assert.Contains("'99'", e.Message, StringComparison.Ordinal);

        var growing = With(new IntegerIdModel(Specials, direct: false, numbers: [14, 108], policy: UnseenIdPolicy.AddToVocabulary));
        Assert.Equal([4, 6, 5, 6], growing.Encode("14 99 108 99").Ids);
        Assert.Equal(7, growing.Model.VocabSize);
    }

    [Fact]
    public void RebuildingTheVocabularyFromTheCorpusOrdersByFrequency()
    {
        var template = With(new WordLevelModel(new Dictionary<string, int>(), "[UNK]"));
        var counts = Trainers.WordCounter.Count(template, ["14 108 28", "28 14 28"]);
        var model = new WordLevelTrainer { SpecialTokens = Specials, UnkToken = "[UNK]" }.Train(counts);
        Assert.Equal(4, model.TokenToId("28")); // 3 occurrences
        Assert.Equal(5, model.TokenToId("14")); // 2
        Assert.Equal(6, model.TokenToId("108")); // 1
    }
}
