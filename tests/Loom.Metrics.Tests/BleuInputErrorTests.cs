using Loom.Metrics.Bleu;
using Loom.Metrics.Captioning;
using Loom.Metrics.Chrf;
using Loom.Metrics.Cider;
using Loom.Metrics.Ter;

namespace Loom.Metrics.Tests;

/// <summary>Inputs that the reference implementations reject raise <see cref="MetricException"/> with a message
/// that says what was expected and what was found.</summary>
public class BleuInputErrorTests
{
    [Fact]
    public void SegmentWithoutAnyReferenceIsRejectedByEverySacreMetric()
    {
        IReadOnlyList<IReadOnlyList<string?>> streams = [["a b c", null]];
        string[] hyps = ["a b c", "d e f"];
        var bleu = Assert.Throws<MetricException>(() => new SacreBleu().CorpusScore(hyps, streams));
        Assert.Contains("Segment 1", bleu.Message, StringComparison.Ordinal);
        Assert.Throws<MetricException>(() => new SacreChrf().CorpusScore(hyps, streams));
        Assert.Throws<MetricException>(() => new SacreTer().CorpusScore(hyps, streams));
    }

    [Fact]
    public void StreamOfTheWrongLengthIsRejected()
    {
        var e = Assert.Throws<MetricException>(() => new SacreBleu().CorpusScore(["a", "b"], [["a"]]));
        Assert.Contains("expected 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyCorpusIsRejectedBySacreBleuButScoresZeroInNltk()
    {
        // sacrebleu raises IndexError (hyps[0]); nltk's corpus_bleu returns 0 (no unigram matches).
        Assert.Throws<MetricException>(() => new SacreBleu().CorpusScore([], [[]]));
        Assert.Equal(0.0, NltkBleu.Corpus([], []).Scores[0]);
    }

    [Fact]
    public void UnknownTokenizerAndSmoothingAreRejected()
    {
        var e = Assert.Throws<MetricException>(() => new SacreBleu(new SacreBleuOptions { Tokenize = "moses" }));
        Assert.Contains("'moses'", e.Message, StringComparison.Ordinal);
        Assert.Throws<MetricException>(() => SacreBleu.ParseSmoothing("add-one"));
    }

    [Fact]
    public void EmptyCaptionSetIsRejected()
    {
        Assert.Throws<MetricException>(() => CiderScorer.Compute([]));
        Assert.Throws<MetricException>(() => CocoBleu.Compute([new CaptionExample("1", [], "a cat")]));
    }

    [Fact]
    public void SentenceScoreIsCorpusScoreOfOneSegment()
    {
        var bleu = new SacreBleu(new SacreBleuOptions { EffectiveOrder = true });
        var sentence = bleu.SentenceScore("the cat sat on the mat", ["the cat is on the mat", "a cat sat on a mat"]);
        var corpus = bleu.CorpusScore(["the cat sat on the mat"], [["the cat is on the mat"], ["a cat sat on a mat"]]);
        Assert.Equal(corpus.Score, sentence.Score);
        Assert.Equal(corpus.Signature.Format(), sentence.Signature.Format());
    }
}
