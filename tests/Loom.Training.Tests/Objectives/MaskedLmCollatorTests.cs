using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class MaskedLmCollatorTests
{
    private const int Pad = 0, Unk = 100, Cls = 101, Sep = 102, MaskId = 103, Vocab = 30000;
    private static readonly int[] Specials = [Unk, Cls, Sep, MaskId];

    private static int[][] Corpus(ulong seed, int rows, int maxLength)
    {
        var rng = new Generator(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var n = maxLength / 2 + rng.NextInt(maxLength / 2 - 1);
            return (int[])[Cls, .. Enumerable.Range(0, n).Select(_ => 1000 + rng.NextInt(Vocab - 1000)), Sep];
        }).ToArray();
    }

    private static MaskedLmCollator Collator(ulong seed) => new(Vocab, MaskId, Pad, Specials, new Generator(seed));

    [Fact]
    public void RatesOver100kTokensAre15PercentAnd80_10_10()
    {
        var sequences = Corpus(1, 400, 512); // ≈ 150k eligible tokens
        var batch = Collator(2).Collate(sequences);
        var (ids, labels) = (batch.InputIds.ToArray(), batch.Labels!.ToArray());
        var original = BatchPadding.Pad(sequences, Pad).ToArray();
        var eligible = original.Count(id => id >= 1000);
        var chosen = 0;
        var asMask = 0;
        var kept = 0;
        var random = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            if (labels[i] == TrainingBatch.IgnoreIndex)
            {
                Assert.Equal(original[i], ids[i]);
                continue;
            }

            chosen++;
            Assert.Equal(original[i], labels[i]);
            if (ids[i] == MaskId)
            {
                asMask++;
            }
            else if (ids[i] == original[i])
            {
                kept++;
            }
            else
            {
                random++;
            }
        }

        Assert.True(eligible > 100_000);
        Assert.InRange(chosen / (double)eligible, 0.145, 0.155);
        Assert.InRange(asMask / (double)chosen, 0.785, 0.815);
        Assert.InRange(random / (double)chosen, 0.085, 0.115);
        Assert.InRange(kept / (double)chosen, 0.085, 0.115);
    }

    [Fact]
    public void SpecialTokensAndPaddingAreNeverMasked()
    {
        var sequences = Corpus(3, 200, 64).Select(s => s.Select((id, i) => i % 7 == 3 ? Unk : id).ToArray()).ToArray();
        var collator = new MaskedLmCollator(Vocab, MaskId, Pad, Specials, new Generator(4), maskProbability: 0.9);
        var batch = collator.Collate(sequences);
        var original = BatchPadding.Pad(sequences, Pad).ToArray();
        var (ids, labels, attention) = (batch.InputIds.ToArray(), batch.Labels!.ToArray(), batch.AttentionMask.ToArray());
        Assert.Contains(0, attention);
        for (var i = 0; i < ids.Length; i++)
        {
            if (original[i] < 1000)
            {
                Assert.Equal(TrainingBatch.IgnoreIndex, labels[i]);
                Assert.Equal(original[i], ids[i]);
            }
        }

        Assert.True(labels.Count(l => l != TrainingBatch.IgnoreIndex) > 0.85 * original.Count(id => id >= 1000));
    }

    [Fact]
    public void AllSpecialInputsGiveNoLabels()
    {
        var batch = Collator(5).Collate([[Cls, Sep], [Cls, Unk, Sep]]);
        Assert.All(batch.Labels!.ToArray(), l => Assert.Equal(TrainingBatch.IgnoreIndex, l));
        Assert.Equal([Cls, Sep, Pad, Cls, Unk, Sep], batch.InputIds.ToArray());
    }

    [Fact]
    public void MaskingIsDynamicAndSeeded()
    {
        var sequences = Corpus(6, 8, 128);
        var collator = Collator(7);
        var first = collator.Collate(sequences).Labels!.ToArray();
        var second = collator.Collate(sequences).Labels!.ToArray();
        Assert.NotEqual(first, second); // re-drawn every batch
        Assert.Equal(first, Collator(7).Collate(sequences).Labels!.ToArray());
        Assert.Equal(Collator(7).Collate(sequences).InputIds.ToArray(), Collator(7).Collate(sequences).InputIds.ToArray());
    }

    [Fact]
    public void WholeWordMaskingTakesWholeWordsWithinTheBudget()
    {
        // Token 1000 + k: even k starts a word, odd k is a "##" continuation.
        static string Token(int id) => id >= 1000 ? ((id - 1000) % 2 == 0 ? "w" : "##w") + id : "[S]";
        var sequences = Corpus(8, 300, 200);
        var collator = new MaskedLmCollator(Vocab, MaskId, Pad, Specials, new Generator(9), segmenter: new WordPieceSegmenter(), idToToken: Token);
        var batch = collator.Collate(sequences);
        var labels = batch.Labels!.ToArray();
        var t = batch.Length;
        var (taken, budget) = (0, 0);
        for (var row = 0; row < sequences.Length; row++)
        {
            var seq = sequences[row];
            var starts = new WordPieceSegmenter().WordStarts(seq.Select(Token).ToArray());
            var rowBudget = (int)Math.Round((seq.Length - 2) * 0.15, MidpointRounding.ToEven);
            var rowTaken = 0;
            for (var i = 1; i < seq.Length - 1; i++)
            {
                var masked = labels[row * t + i] != TrainingBatch.IgnoreIndex;
                rowTaken += masked ? 1 : 0;
                if (!starts[i] && i > 1)
                {
                    // a continuation token is masked exactly when the token before it (same word) is
                    Assert.Equal(labels[row * t + i - 1] != TrainingBatch.IgnoreIndex, masked);
                }
            }

            Assert.True(rowTaken <= rowBudget, $"row {row}: {rowTaken} > {rowBudget}");
            (taken, budget) = (taken + rowTaken, budget + rowBudget);
        }

        Assert.InRange(taken / (double)budget, 0.98, 1.0);
    }

    [Fact]
    public void BadSettingsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaskedLmCollator(Vocab, MaskId, Pad, Specials, new Generator(1), maskProbability: 1.5));
        Assert.Throws<ArgumentException>(() => new MaskedLmCollator(Vocab, MaskId, Pad, Specials, new Generator(1), maskTokenFraction: 0.8, randomTokenFraction: 0.3));
        Assert.Throws<ArgumentException>(() => new MaskedLmCollator(Vocab, MaskId, Pad, Specials, new Generator(1), segmenter: new WordPieceSegmenter()));
    }
}
