// Unigram n-best and subword-regularisation sampling (sentencepiece SampleEncode semantics) against a brute-force
// enumeration of every segmentation written here independently of the lattice: n-best order and scores must equal
// the enumeration's best-first list, and sampled segmentations must follow exp(alpha · score) / Σ within a binomial
// tolerance (5 standard deviations, so a wrong distribution fails and a right one passes except with p < 1e-6).
// Through Tokenizer.Encode (T5's real Unigram tokenizer): sampled encodings decode to the text, vary, and repeat
// exactly under the same seed.
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Tests;

public class UnigramSamplingTests
{
    // Some segmentations tie (the same pieces in another order), so n-best is checked by score, not by position.
    private static readonly (string Piece, double Score)[] Pieces =
    [
        ("<unk>", 0), ("a", -2.0), ("b", -2.3), ("c", -2.9), ("ab", -3.1), ("bc", -3.7), ("abc", -5.3), ("ca", -4.45), ("cab", -6.05),
    ];

    private static UnigramModel Model() => new(Pieces, unkId: 0);

    /// <summary>Every segmentation of <paramref name="word"/> into vocabulary pieces with its total score, best first.</summary>
    private static List<(string Joined, double Score)> Enumerate(string word)
    {
        var scores = Pieces.Skip(1).ToDictionary(p => p.Piece, p => p.Score);
        var all = new List<(string, double)>();
        void Walk(int start, List<string> prefix, double score)
        {
            if (start == word.Length)
            {
                all.Add((string.Join(" ", prefix), score));
                return;
            }

            for (int end = start + 1; end <= word.Length; end++)
            {
                if (scores.TryGetValue(word[start..end], out double s))
                {
                    prefix.Add(word[start..end]);
                    Walk(end, prefix, score + s);
                    prefix.RemoveAt(prefix.Count - 1);
                }
            }
        }

        Walk(0, [], 0);
        return all.OrderByDescending(x => x.Item2).ToList();
    }

    private static string Joined(IEnumerable<Token> tokens) => string.Join(" ", tokens.Select(t => t.Value));

    [Theory]
    [InlineData("abc")]
    [InlineData("abcab")]
    [InlineData("cabcabc")]
    public void NBestEqualsBruteForceOrderAndScores(string word)
    {
        var expected = Enumerate(word);
        Assert.True(expected.Count >= 4, "the word should have several segmentations");
        foreach (int k in new[] { 1, 2, 3, expected.Count, expected.Count + 5 })
        {
            var nbest = Model().NBest(word, k);
            Assert.Equal(Math.Min(k, expected.Count), nbest.Count);
            var scoreOf = expected.ToDictionary(e => e.Joined, e => e.Score);
            for (int i = 0; i < nbest.Count; i++)
            {
                Assert.Equal(expected[i].Score, nbest[i].Score, 1e-9);
                Assert.Equal(scoreOf[Joined(nbest[i].Tokens)], nbest[i].Score, 1e-9);
            }

            Assert.Equal(nbest.Count, nbest.Select(n => Joined(n.Tokens)).Distinct().Count());
        }

        var viterbi = new List<Token>();
        Model().Tokenize(word, viterbi);
        Assert.Equal(expected[0].Score, expected.Single(e => e.Joined == Joined(viterbi)).Score, 1e-9);
    }

    [Fact]
    public void NBestCoversUnknownCharacters()
    {
        // "x" is not in the vocabulary: each path carries one unknown piece scored at min score − 10.
        var nbest = Model().NBest("axb", 3);
        double unk = Pieces.Min(p => p.Score) - 10;
        Assert.Single(nbest);
        Assert.Equal("a x b", Joined(nbest[0].Tokens));
        Assert.Equal(0, nbest[0].Tokens[1].Id);
        Assert.Equal(-2.0 + unk - 2.3, nbest[0].Score, 1e-9);
    }

    /// <summary>Draws <paramref name="draws"/> segmentations and checks each one's count against the exact probability.</summary>
    private static void AssertFollowsDistribution(string word, int nbestSize, double alpha, int draws, int seed)
    {
        var paths = Enumerate(word);
        if (nbestSize > 1)
        {
            Assert.NotEqual(paths[nbestSize - 1].Score, paths[nbestSize].Score, 9); // no tie at the n-best boundary
            paths = paths.Take(nbestSize).ToList();
        }

        double top = paths.Max(p => alpha * p.Score);
        double z = paths.Sum(p => Math.Exp((alpha * p.Score) - top));
        var probability = paths.ToDictionary(p => p.Joined, p => Math.Exp((alpha * p.Score) - top) / z);
        var counts = new Dictionary<string, int>();
        var model = Model();
        var random = new Random(seed);
        var tokens = new List<Token>();
        for (int i = 0; i < draws; i++)
        {
            tokens.Clear();
            model.Sample(word, nbestSize, alpha, random, tokens);
            string key = Joined(tokens);
            Assert.True(probability.ContainsKey(key), $"sampled '{key}', which is not among the allowed segmentations");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        foreach (var (key, p) in probability)
        {
            double mean = draws * p;
            double sd = Math.Sqrt(draws * p * (1 - p));
            int seen = counts.GetValueOrDefault(key);
            Assert.True(Math.Abs(seen - mean) <= (5 * sd) + 1, $"'{key}': {seen} of {draws}, expected {mean:F1} ± {5 * sd:F1} (p = {p:F4})");
        }
    }

    [Theory]
    [InlineData("abcab", -1, 1.0)]
    [InlineData("abcab", -1, 0.3)]
    [InlineData("cabcabc", -1, 0.5)]
    [InlineData("abcab", 3, 0.7)]
    [InlineData("cabcabc", 2, 1.0)]
    public void SamplesFollowTheLatticeProbabilities(string word, int nbestSize, double alpha)
    {
        AssertFollowsDistribution(word, nbestSize, alpha, draws: 20_000, seed: 1234);
    }

    [Fact]
    public void AWrongDistributionWouldFail()
    {
        // The check has teeth: the full-lattice sampler at alpha 1 does not pass as alpha 0.3.
        var paths = Enumerate("abcab");
        var model = Model();
        var random = new Random(7);
        var tokens = new List<Token>();
        int best = 0;
        const int Draws = 20_000;
        for (int i = 0; i < Draws; i++)
        {
            tokens.Clear();
            model.Sample("abcab", -1, 1.0, random, tokens);
            best += Joined(tokens) == paths[0].Joined ? 1 : 0;
        }

        double z = paths.Sum(p => Math.Exp(0.3 * p.Score));
        double pBestAt03 = Math.Exp(0.3 * paths[0].Score) / z;
        double sd = Math.Sqrt(Draws * pBestAt03 * (1 - pBestAt03));
        Assert.True(Math.Abs(best - (Draws * pBestAt03)) > (5 * sd) + 1);
    }

    [Fact]
    public void NoSamplingForNBestSizeZeroOrOneAndSameSeedSameDraws()
    {
        var model = Model();
        var viterbi = new List<Token>();
        model.Tokenize("cabcabc", viterbi);
        foreach (int size in new[] { 0, 1 })
        {
            var sampled = new List<Token>();
            model.Sample("cabcabc", size, 0.1, new Random(3), sampled);
            Assert.Equal(Joined(viterbi), Joined(sampled));
        }

        List<string> Draw(int seed)
        {
            var random = new Random(seed);
            var result = new List<string>();
            for (int i = 0; i < 50; i++)
            {
                var t = new List<Token>();
                model.Sample("cabcabc", -1, 0.2, random, t);
                result.Add(Joined(t));
            }

            return result;
        }

        Assert.Equal(Draw(42), Draw(42));
        Assert.True(Draw(42).Distinct().Count() > 1);
    }

    [Fact]
    public void SampledOffsetsCoverTheWord()
    {
        var model = Model();
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var tokens = new List<Token>();
            model.Sample("abcxab", -1, 0.2, random, tokens);
            int position = 0;
            foreach (var t in tokens)
            {
                Assert.Equal(position, t.Start);
                Assert.Equal("abcxab"[t.Start..t.End], t.Value);
                position = t.End;
            }

            Assert.Equal(6, position);
        }
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var model = Model();
        Assert.Throws<ArgumentOutOfRangeException>(() => model.NBest("abc", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample("abc", 513, 0.1, new Random(1), []));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample("abc", -1, double.NaN, new Random(1), []));
    }

    private static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.", "Subword regularization samples segmentations.", "translate English to German: unbelievably",
    ];

    [Theory]
    [InlineData(-1, 0.1)]
    [InlineData(8, 0.5)]
    public void SampledEncodingsOfAWholeTokenizerDecodeToTheText(int nbestSize, double alpha)
    {
        var tokenizer = TestData.LoadTokenizer("t5-small");
        var random = new Random(11);
        foreach (var text in Sentences)
        {
            var best = tokenizer.Encode(text).Ids;
            Assert.Equal(text, tokenizer.Decode(best));
            var seen = new HashSet<string>();
            for (int i = 0; i < 30; i++)
            {
                var sampled = tokenizer.Encode(text, null, true, new SubwordSampling(nbestSize, alpha, random));
                Assert.Equal(text, tokenizer.Decode(sampled.Ids));
                Assert.Equal(sampled.Ids.Count, sampled.Offsets.Count);
                seen.Add(string.Join(",", sampled.Ids));
            }

            Assert.True(seen.Count > 1, $"30 samples of '{text}' gave one segmentation only");
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameSamples()
    {
        var tokenizer = TestData.LoadTokenizer("t5-small");
        List<string> Run(int seed)
        {
            var sampling = new SubwordSampling(-1, 0.1, new Random(seed));
            return Enumerable.Range(0, 20).Select(i => string.Join(",", tokenizer.Encode(Sentences[i % Sentences.Length], null, true, sampling).Ids)).ToList();
        }

        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
        var keepBest = new SubwordSampling(1, 0.1, new Random(3));
        Assert.Equal(tokenizer.Encode(Sentences[0]).Ids, tokenizer.Encode(Sentences[0], null, true, keepBest).Ids);
    }

    [Fact]
    public void SamplingNeedsAUnigramModel()
    {
        var gpt2 = TestData.LoadTokenizer("gpt2");
        Assert.Throws<TokenizerException>(() => gpt2.Encode("text", null, true, new SubwordSampling(-1, 0.1)));
    }
}
