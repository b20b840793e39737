// The example's data: waimai_10k food-delivery reviews (label 1 positive, 0 negative; SophonPlus/ChineseNlpCorpus,
// shared only) split once into a training part and a held-out test part, and CMRC 2018 passages (Chinese Wikipedia,
// CC BY-SA 4.0) cut into model-length pieces. Pretraining reads only the training reviews and the passages; the test
// reviews are seen by nothing but the final scoring.
using Loom.Training.Data;

namespace Loom.Examples.SentimentBert;

/// <summary>The labelled reviews (split) and the unlabelled pretraining text.</summary>
public sealed class SentimentCorpus
{
    private SentimentCorpus(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> test, IReadOnlyList<string> passages)
    {
        (TrainReviews, TestReviews, PassagePieces) = (train, test, passages);
    }

    /// <summary>Reviews for fine-tuning (and, without labels, for pretraining).</summary>
    public IReadOnlyList<LabeledText> TrainReviews { get; }

    /// <summary>Held-out reviews, scored once at the end.</summary>
    public IReadOnlyList<LabeledText> TestReviews { get; }

    /// <summary>CMRC passages cut into pieces of at most the model's text length.</summary>
    public IReadOnlyList<string> PassagePieces { get; }

    /// <summary>Every unlabelled text of pretraining: training reviews, then passage pieces.</summary>
    public IEnumerable<string> PretrainingTexts => TrainReviews.Select(r => r.Text).Concat(PassagePieces);

    /// <summary>Reads the files from shared/data (throws <see cref="FileNotFoundException"/> naming a missing one).</summary>
    public static SentimentCorpus Load(double testFraction, int pieceLength, ulong seed)
    {
        var reviews = SentimentCsvReader.Read(SharedData.Require("chinese_nlp_corpus/waimai_10k.csv")).Where(r => r.Text.Length > 0).ToList();
        var (train, test) = DataSplit.TrainValidation(reviews, testFraction, seed);
        var passages = new[] { "cmrc2018/cmrc2018_dev.json", "cmrc2018/cmrc2018_trial.json" }
            .SelectMany(f => CmrcReader.ReadPassages(SharedData.Require(f)))
            .Distinct(StringComparer.Ordinal)
            .SelectMany(p => Pieces(p, pieceLength))
            .ToList();
        return new SentimentCorpus(train, test, passages);
    }

    private static IEnumerable<string> Pieces(string passage, int length)
    {
        var text = string.Concat(passage.Where(c => !char.IsWhiteSpace(c)));
        var start = 0;
        while (start < text.Length)
        {
            // Never cut a surrogate pair: the rare characters outside the BMP would become two broken halves.
            var end = Math.Min(text.Length, start + length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end--;
            }

            yield return text[start..end];
            start = end;
        }
    }
}
