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
}
