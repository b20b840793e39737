using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class SentencePairCollatorTests
{
    private const int Pad = 0, Cls = 1, Sep = 2;

    // Sentence i of document d is [10000 + 100·d + i, 7, 7, …]: its first token says where it came from.
    private static IReadOnlyList<IReadOnlyList<int[]>> Documents(int count, Generator rng) =>
        Enumerable.Range(0, count).Select(d => (IReadOnlyList<int[]>)Enumerable.Range(0, d % 5 == 4 ? 0 : 1 + rng.NextInt(8))
            .Select(i => (int[])[10000 + 100 * d + i, .. Enumerable.Repeat(7, rng.NextInt(6))]).ToArray()).ToArray();

    private static (int Doc, int Index) Origin(int id) => ((id - 10000) / 100, (id - 10000) % 100);

    [Theory]
    [InlineData(SentencePairTask.NextSentence)]
    [InlineData(SentencePairTask.SentenceOrder)]
    public void LabelsAreHalfAndMatchThePairs(SentencePairTask task)
    {
        var collator = new SentencePairCollator(Documents(60, new Generator(1)), task, Cls, Sep, Pad, 64, new Generator(2));
        var batch = collator.NextBatch(20_000);
        var (ids, types, labels, t) = (batch.InputIds.ToArray(), batch.TokenTypeIds!.ToArray(), batch.SentenceLabels!.ToArray(), batch.Length);
        Assert.InRange(labels.Average(), 0.485, 0.515);
        for (var row = 0; row < labels.Length; row++)
        {
            var seq = ids.AsSpan(row * t, t).ToArray();
            var firstSep = Array.IndexOf(seq, Sep);
            Assert.Equal(Cls, seq[0]);
            var a = Origin(seq[1]);
            var b = Origin(seq[firstSep + 1]);
            Assert.All(Enumerable.Range(0, t), i => Assert.Equal(i > firstSep && seq[i] != Pad ? 1 : 0, types[row * t + i]));
            switch (task, labels[row])
            {
                case (SentencePairTask.NextSentence, 0):
                case (SentencePairTask.SentenceOrder, 0):
                    Assert.Equal((a.Doc, a.Index + 1), b);
                    break;
                case (SentencePairTask.NextSentence, _):
                    Assert.NotEqual(a.Doc, b.Doc);
                    break;
                default:
                    Assert.Equal((b.Doc, b.Index + 1), a);
                    break;
            }
        }
    }

    [Fact]
    public void LongPairsAreTruncatedToTheMaximum()
    {
        IReadOnlyList<IReadOnlyList<int[]>> docs = [[[.. Enumerable.Repeat(5, 40)], [.. Enumerable.Repeat(6, 3)]]];
        var batch = new SentencePairCollator(docs, SentencePairTask.SentenceOrder, Cls, Sep, Pad, 16, new Generator(3)).NextBatch(10);
        Assert.Equal(16, batch.Length);
        Assert.All(Enumerable.Range(0, 10), r => Assert.Equal(3, batch.InputIds.ToArray().Skip(r * 16).Take(16).Count(id => id == 6)));
    }

    [Fact]
    public void CorporaWithoutPairsThrow()
    {
        IReadOnlyList<IReadOnlyList<int[]>> single = [[[5], [6]], []];
        Assert.Throws<ArgumentException>(() => new SentencePairCollator(single, SentencePairTask.NextSentence, Cls, Sep, Pad, 16, new Generator(1)));
        Assert.NotNull(new SentencePairCollator(single, SentencePairTask.SentenceOrder, Cls, Sep, Pad, 16, new Generator(1)));
        IReadOnlyList<IReadOnlyList<int[]>> noPairs = [[[5]], [[6]]];
        Assert.Throws<ArgumentException>(() => new SentencePairCollator(noPairs, SentencePairTask.SentenceOrder, Cls, Sep, Pad, 16, new Generator(1)));
    }

    [Fact]
    public void CombinesWithMaskedLm()
    {
        var pairs = new SentencePairCollator(Documents(20, new Generator(4)), SentencePairTask.NextSentence, Cls, Sep, Pad, 32, new Generator(5)).NextBatch(8);
        var masked = new MaskedLmCollator(20000, 3, Pad, [Cls, Sep, 3], new Generator(6), maskProbability: 0.5).Mask(pairs);
        Assert.Same(pairs.SentenceLabels, masked.SentenceLabels);
        Assert.Same(pairs.TokenTypeIds, masked.TokenTypeIds);
        var labels = masked.Labels!.ToArray();
        var ids = pairs.InputIds.ToArray();
        Assert.All(Enumerable.Range(0, ids.Length).Where(i => ids[i] is Cls or Sep or Pad), i => Assert.Equal(TrainingBatch.IgnoreIndex, labels[i]));
        Assert.Contains(labels, l => l != TrainingBatch.IgnoreIndex);
    }
}
