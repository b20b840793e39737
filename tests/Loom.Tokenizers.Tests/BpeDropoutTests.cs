// BPE-dropout (Provilkov et al. 2020, as Hugging Face tokenizers word.rs merge_all): every time the best merge is
// popped it is skipped with probability p (and retried only after another merge happens). Checks: p = 0 is plain BPE
// on the GPT-2 fixture tokenizer, p = 1 leaves single characters (bytes), and for small words whose exact outcome
// distribution follows from the rule by hand (below) the seeded frequencies sit within 5 binomial standard deviations.
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Trainers;

namespace Loom.Tokenizers.Tests;

public class BpeDropoutTests
{
    private static readonly string[] Texts = ["Hello, world! The quick brown fox jumps over the lazy dog.", "Tokenization 1234 émoji 😀 and CJK 野家", "    indented\tcode();"];

    private static Tokenizer WithDropout(double? dropout)
    {
        var gpt2 = TestData.LoadTokenizer("gpt2");
        var bpe = (BpeModel)gpt2.Model;
        return TrainerSupport.Rebuild(gpt2, new BpeModel(bpe.Vocab, bpe.Merges, bpe.Options with { Dropout = dropout }), []);
    }

    [Fact]
    public void DropoutZeroIsPlainBpe()
    {
        var plain = TestData.LoadTokenizer("gpt2");
        var zero = WithDropout(0);
        foreach (var text in Texts)
        {
            Assert.Equal(plain.Encode(text, addSpecialTokens: false).Ids, zero.Encode(text, addSpecialTokens: false).Ids);
        }
    }

    [Fact]
    public void DropoutOneLeavesSingleBytes()
    {
        var one = WithDropout(1);
        foreach (var text in Texts)
        {
            var encoding = one.Encode(text, addSpecialTokens: false);
            Assert.All(encoding.Tokens, t => Assert.Equal(1, t.Length));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), encoding.Length);
            Assert.Equal(text, one.Decode(encoding.Ids));
        }
    }

    private static BpeModel Chain(double dropout) => new(
        new Dictionary<string, int> { ["a"] = 0, ["b"] = 1, ["c"] = 2, ["ab"] = 3, ["abc"] = 4 },
        [("a", "b"), ("ab", "c")],
        new BpeOptions { Dropout = dropout });

    /// <summary>Counts the segmentations of <paramref name="word"/> over seeded draws.</summary>
    private static Dictionary<string, int> Draw(BpeModel model, string word, int draws, int seed)
    {
        var random = new Random(seed);
        var counts = new Dictionary<string, int>();
        var tokens = new List<Token>();
        for (int i = 0; i < draws; i++)
        {
            tokens.Clear();
            model.Tokenize(word, tokens, random);
            string key = string.Join(" ", tokens.Select(t => t.Value));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    private static void AssertBinomial(int seen, int draws, double p, string what)
    {
        double mean = draws * p;
        double sd = Math.Sqrt(draws * p * (1 - p));
        Assert.True(Math.Abs(seen - mean) <= (5 * sd) + 1, $"{what}: {seen} of {draws}, expected {mean:F1} ± {5 * sd:F1}");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.35)]
    [InlineData(0.8)]
    public void MergeSkipRateMatchesP(double p)
    {
        const int Draws = 20_000;

        // "ab": one candidate merge; skipped with probability p, then nothing is left to try.
        var two = Draw(Chain(p), "ab", Draws, seed: 11);
        AssertBinomial(two.GetValueOrDefault("a b"), Draws, p, "'ab' left unmerged");
        AssertBinomial(two.GetValueOrDefault("ab"), Draws, 1 - p, "'ab' merged");

        // "abc": (a,b) is skipped with p (then (b,c) is no merge: done); else (ab,c) is skipped with p.
        var three = Draw(Chain(p), "abc", Draws, seed: 12);
        AssertBinomial(three.GetValueOrDefault("a b c"), Draws, p, "'abc' as a b c");
        AssertBinomial(three.GetValueOrDefault("ab c"), Draws, (1 - p) * p, "'abc' as ab c");
        AssertBinomial(three.GetValueOrDefault("abc"), Draws, (1 - p) * (1 - p), "'abc' merged");
        Assert.Equal(Draws, three.Values.Sum());
    }

    [Fact]
    public void SameSeedSameSegmentations()
    {
        var model = Chain(0.5);
        Assert.Equal(Draw(model, "abcabcab", 200, seed: 3), Draw(model, "abcabcab", 200, seed: 3));
        Assert.True(Draw(model, "abc", 200, seed: 3).Count == 3);
    }
}
