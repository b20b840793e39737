// Unigram trainer parts against independent references: the digamma function against its known closed-form values,
// the suffix-array seed substrings against a brute-force count of every substring, and thread-count independence.
using Loom.Tokenizers.Serialization;
using Loom.Tokenizers.Trainers;

namespace Loom.Tokenizers.Tests;

public class UnigramTrainerTests
{
    [Theory]
    [InlineData(1.0, -0.57721566490153286)] // −γ (Euler–Mascheroni)
    [InlineData(0.5, -1.96351002602142347)] // −γ − 2 ln 2
    [InlineData(2.0, 0.42278433509846714)] // 1 − γ
    [InlineData(10.0, 2.25175258906672111)] // H(9) − γ
    [InlineData(1000.0, 6.90725519564881205)] // mpmath digamma(1000)
    public void DigammaMatchesKnownValues(double x, double expected)
    {
        Assert.Equal(expected, UnigramTrainer.Digamma(x), 1e-9);
    }

    /// <summary>Every substring occurring at least twice whose occurrences are followed by two different next symbols (or one reaches the end).</summary>
    private static SortedSet<(string, int)> BruteForce(int[] text)
    {
        var occurrences = new Dictionary<string, List<int>>();
        for (int i = 0; i < text.Length; i++)
        {
            for (int j = i + 1; j <= text.Length; j++)
            {
                string key = string.Join(",", text[i..j]);
                if (!occurrences.TryGetValue(key, out var list))
                {
                    occurrences[key] = list = [];
                }

                list.Add(j);
            }
        }

        var result = new SortedSet<(string, int)>();
        foreach (var (key, ends) in occurrences)
        {
            var next = ends.Select(e => e < text.Length ? text[e] : -1).ToList();
            if (ends.Count >= 2 && (next.Distinct().Count() >= 2 || next.Contains(-1)))
            {
                result.Add((key, ends.Count));
            }
        }

        return result;
    }

    [Fact]
    public void RepeatedSubstringsEqualBruteForce()
    {
        var random = new Random(17);
        for (int round = 0; round < 200; round++)
        {
            int n = random.Next(0, 40);
            int alphabet = random.Next(1, 5);
            var text = Enumerable.Range(0, n).Select(_ => random.Next(alphabet)).ToArray();
            var found = new SortedSet<(string, int)>(RepeatedSubstrings.Enumerate(text)
                .Select(r => (string.Join(",", text[r.Offset..(r.Offset + r.Length)]), r.Occurrences)));
            Assert.Equal(BruteForce(text), found);
        }
    }

    [Fact]
    public void ResultDoesNotDependOnThreadCount()
    {
        var template = TokenizerJson.Load(Path.Combine(TestData.Dir, "trainers", "template_sp_unigram.json"));
        string corpus = File.ReadAllText(Path.Combine(TestData.Dir, "trainers", "shakespeare_200k.txt"))[..20_000];
        var counts = WordCounter.Count(template, WordCounter.LinesWithEndings(corpus));
        string Train(int threads) => TokenizerJsonWriter.ToJson(TrainerSupport.Rebuild(template,
            new UnigramTrainer { VocabSize = 200, SpecialTokens = ["<unk>"], MaxDegreeOfParallelism = threads }.Train(counts), ["<unk>"]));
        Assert.Equal(Train(1), Train(3));
    }

    // The expectations below are Hugging Face tokenizers' own unit tests (models/unigram/trainer.rs: test_unigram_chars,
    // test_unk_token, test_special_tokens, test_initial_alphabet).
    [Fact]
    public void SeedPiecesAreHuggingFaces()
    {
        var seeds = new UnigramTrainer().SeedPieces([("This is a", 1), ("こんにちは友達", 1)]);
        Assert.Equal(["s", "i", " ", "達", "友", "ん", "は", "に", "ち", "こ", "h", "a", "T", "is ", "s "], seeds.Select(s => s.Piece));
        double[] expected = [-2.5649493574615367, -2.5649493574615367, -2.5649493574615367, -3.258096538021482, -3.258096538021482,
            -3.258096538021482, -3.258096538021482, -3.258096538021482, -3.258096538021482, -3.258096538021482, -3.258096538021482,
            -3.258096538021482, -3.258096538021482, -1.4663370687934272, -1.8718021769015916];
        Assert.All(seeds.Zip(expected), p => Assert.Equal(p.Second, p.First.Score, 1e-9));
    }

    private static Dictionary<string, long> TheAre => new() { ["The"] = 12, ["are"] = 11 };

    [Fact]
    public void UnknownTokenGoesFirstUnlessItIsASpecialToken()
    {
        var added = new UnigramTrainer { SpecialTokens = ["[SEP]", "[CLS]"], UnkToken = "[UNK]" }.Train(TheAre);
        Assert.Equal(["[UNK]", "[SEP]", "[CLS]"], added.Pieces.Take(3).Select(p => p.Piece));
        Assert.Equal(0, added.UnkId);
        Assert.All(added.Pieces.Take(3), p => Assert.Equal(0.0, p.Score));

        var kept = new UnigramTrainer { SpecialTokens = ["[SEP]", "[CLS]", "[UNK]"], UnkToken = "[UNK]" }.Train(TheAre);
        Assert.Equal(["[SEP]", "[CLS]", "[UNK]"], kept.Pieces.Take(3).Select(p => p.Piece));
        Assert.Equal(2, kept.UnkId);

        var none = new UnigramTrainer { UnkToken = null }.Train(TheAre);
        Assert.Equal("e", none.Pieces[0].Piece);
        Assert.Null(none.UnkId);

        var specials = new UnigramTrainer { SpecialTokens = ["[SEP]", "[CLS]"], UnkToken = null }.Train(TheAre);
        Assert.Equal(["[SEP]", "[CLS]"], specials.Pieces.Take(2).Select(p => p.Piece));
    }

    [Fact]
    public void InitialAlphabetIsAlwaysInTheVocabulary()
    {
        var model = new UnigramTrainer { InitialAlphabet = ['a', 'b', 'c', 'd', 'e', 'f'], UnkToken = null }.Train(new Dictionary<string, long> { ["こんにちは友達"] = 1 });
        foreach (var c in new[] { "こ", "ん", "に", "ち", "は", "友", "達", "a", "b", "c", "d", "e", "f" })
        {
            Assert.NotNull(model.TokenToId(c));
        }
    }

    [Fact]
    public void BadOptionsFailClearly()
    {
        var words = TheAre;
        Assert.Throws<TokenizerException>(() => new UnigramTrainer { VocabSize = 2, SpecialTokens = ["<a>", "<b>"] }.Train(words));
        Assert.Throws<TokenizerException>(() => new UnigramTrainer { ShrinkingFactor = 1.5 }.Train(words));
        var e = Assert.Throws<TokenizerException>(() => new UnigramTrainer { VocabSize = 4 }.Train(words));
        Assert.Contains("VocabularyTooSmall", e.Message, StringComparison.Ordinal);
    }
}
