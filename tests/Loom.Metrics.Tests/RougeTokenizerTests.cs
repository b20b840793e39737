using Loom.Metrics.Rouge;

namespace Loom.Metrics.Tests;

/// <summary>Loom's CJK-aware ROUGE default against rouge-score's reference tokens, and on Chinese.</summary>
public class RougeTokenizerTests
{
    [Fact]
    public void CjkAwareDefaultEqualsRougeScoreTokensOnTextWithoutCjk()
    {
        var checkedTexts = 0;
        foreach (var node in FixtureFiles.Load("rouge_score")["cases"]!.AsArray())
        {
            var parameters = node!["params"]!.AsObject();
            var tokenizerName = (string?)parameters["tokenizer"] ?? "default";
            if (tokenizerName != "default" || parameters["method"] is not null)
            {
                continue;
            }

            var useStemmer = (bool?)parameters["use_stemmer"] ?? false;
            var text = (string)node["inputs"]!["target"]!;
            if (text.Any(c => c is >= '\u3000' and <= '\u9fff'))
            {
                continue;
            }

            var expected = node["expected"]!["_tokens"]!["targets"]![0]!.AsArray().Select(t => (string)t!).ToList();
            Assert.Equal(expected, new CjkAwareRougeTokenizer(useStemmer).Tokenize(text));
            checkedTexts++;
        }

        Assert.True(checkedTexts >= 20, $"only {checkedTexts} fixture texts checked");
    }

    [Fact]
    public void ChineseScoresAreNotSilentlyZeroWithTheDefaultTokenizer()
    {
        const string target = "今天天气很好";
        const string prediction = "今天天气不错";
        var compatible = new RougeScorer(["rouge1"], tokenizer: new RougeScoreTokenizer(useStemmer: false));
        Assert.Equal(0.0, compatible.Score(target, prediction)["rouge1"].FMeasure);

        // 4 of 6 characters (今 天 天 气) match in each direction: P = R = F = 4/6.
        var score = new RougeScorer(["rouge1"]).Score(target, prediction)["rouge1"];
        Assert.Equal(4.0 / 6.0, score.Precision, 15);
        Assert.Equal(4.0 / 6.0, score.Recall, 15);
        Assert.Equal(4.0 / 6.0, score.FMeasure, 15);
    }

    [Fact]
    public void PluggableWordTokenizerIsUsed()
    {
        var words = new DelegateRougeTokenizer(text => text.Split('/'));
        // Words 今天 天气 很好 vs 今天 天气 不错: 2 of 3 words match.
        var score = new RougeScorer(["rouge1"], tokenizer: words).Score("今天/天气/很好", "今天/天气/不错")["rouge1"];
        Assert.Equal(2.0 / 3.0, score.FMeasure, 15);
    }

    [Fact]
    public void InvalidRougeTypeThrows()
    {
        var e = Assert.Throws<MetricException>(() => new RougeScorer(["rouge10"]));
        Assert.Contains("rouge10", e.Message, StringComparison.Ordinal);
    }
}
