using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class GlmBlankInfillingTests
{
    private const int Pad = 0, MaskId = 1, Sop = 2, Eop = 3;

    private static GlmBlankInfillingCollator Collator(ulong seed) => new(MaskId, Sop, Eop, Pad, new Generator(seed));

    [Fact]
    public void PartBFillsTheBlanksOfPartAWithConsistentPositionsAndLabels()
    {
        var collator = Collator(1);
        for (var trial = 0; trial < 50; trial++)
        {
            var tokens = Enumerable.Range(100, 120).ToArray();
            var (ids, labels, positions, blocks, prefix) = collator.Build(tokens);
            Assert.Equal(ids.Length, labels.Length);
            Assert.All(labels[..prefix], l => Assert.Equal(TrainingBatch.IgnoreIndex, l));
            Assert.Equal(Enumerable.Range(0, prefix), positions[..prefix]);
            Assert.All(blocks[..prefix], b => Assert.Equal(0, b));

            // Walk part B: each piece is [sop] span…, predicting span… [eop]; its position is its [MASK] in part A.
            var fill = new Dictionary<int, int[]>();
            var i = prefix;
            while (i < ids.Length)
            {
                Assert.Equal(Sop, ids[i]);
                var maskAt = positions[i];
                Assert.Equal(MaskId, ids[maskAt]);
                var end = i + 1;
                while (end < ids.Length && ids[end] != Sop)
                {
                    end++;
                }

                var span = ids[(i + 1)..end];
                Assert.Equal([.. span, Eop], labels[i..end]);
                Assert.All(positions[i..end], p => Assert.Equal(maskAt, p));
                Assert.Equal(Enumerable.Range(1, end - i), blocks[i..end]);
                fill.Add(maskAt, span);
                i = end;
            }

            var rebuilt = ids[..prefix].SelectMany((t, p) => t == MaskId ? fill[p] : [t]).ToArray();
            Assert.Equal(tokens, rebuilt);
            Assert.Equal(fill.Count, ids[..prefix].Count(t => t == MaskId));
        }
    }

    [Fact]
    public void MaskedFractionAndMeanSpanLength()
    {
        var collator = Collator(2);
        var lengths = new List<int>();
        for (var trial = 0; trial < 40; trial++)
        {
            var spans = collator.SampleSpans(5000);
            for (var k = 1; k < spans.Count; k++)
            {
                Assert.True(spans[k].Start > spans[k - 1].End); // at least one kept token between spans
            }

            lengths.AddRange(spans.Select(s => s.End - s.Start));
        }

        // Poisson(3) conditioned on ≥ 1: mean 3 / (1 − e⁻³) = 3.157.
        Assert.InRange(lengths.Average(), 3.157 - 0.06, 3.157 + 0.06);
        Assert.InRange(lengths.Sum() / (40 * 5000.0), 0.15, 0.152);
    }

    [Fact]
    public void BatchHasTwoDimensionalPositionsAndPrefixMask()
    {
        var batch = Collator(3).Collate([[.. Enumerable.Range(100, 40)], [.. Enumerable.Range(100, 15)]]);
        Assert.Equal([2, 2, batch.Length], batch.PositionIds!.Shape);
        var prefixes = batch.PrefixLengths!.ToArray();
        var mask = PrefixLmMask.Build(batch.PrefixLengths, batch.AttentionMask);
        var t = batch.Length;
        // a part-A query sees all of part A and no part-B token
        Assert.Equal(Enumerable.Range(0, t).Select(j => j < prefixes[0] ? 1 : 0), Enumerable.Range(0, t).Select(j => mask[0, 0, j]));
        Assert.Equal(Enumerable.Range(0, t).Select(j => j < prefixes[1] ? 1 : 0), Enumerable.Range(0, t).Select(j => mask[1, 0, j]));
        Assert.Equal(Collator(3).Collate([[.. Enumerable.Range(100, 40)]]).InputIds.ToArray(), Collator(3).Collate([[.. Enumerable.Range(100, 40)]]).InputIds.ToArray());
    }

    [Fact]
    public void TinyAndEmptyInputs()
    {
        var collator = Collator(4);
        var (ids, labels, _, _, prefix) = collator.Build([]);
        Assert.Empty(ids);
        Assert.Equal(0, prefix);
        Assert.Empty(labels);
        var one = collator.Build([5]);
        Assert.Equal([5], one.Ids); // round(0.15) = 0 tokens to blank
    }
}
