using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class BartNoiserTests
{
    private const int Bos = 0, Eos = 2, MaskId = 3, Stop = 4, Vocab = 50000;

    private static BartNoiser Noiser(BartNoiseOptions options, ulong seed) => new(options, MaskId, Stop, Vocab, new Generator(seed));

    // BOS, n distinct ids ≥ 100, EOS.
    private static int[] Document(int n) => [Bos, .. Enumerable.Range(100, n), Eos];

    private static bool IsSubsequence(IEnumerable<int> part, int[] whole)
    {
        var i = 0;
        foreach (var x in part)
        {
            while (i < whole.Length && whole[i] != x)
            {
                i++;
            }

            if (i++ == whole.Length)
            {
                return false;
            }
        }

        return true;
    }

    // True when `inner` is the sentences, each exactly once, in some order.
    private static bool IsConcatenationOf(int[] inner, int[][] sentences)
    {
        var used = new bool[sentences.Length];
        var at = 0;
        while (at < inner.Length)
        {
            var s = Array.FindIndex(sentences, x => x[0] == inner[at]);
            if (s < 0 || used[s] || at + sentences[s].Length > inner.Length || !inner.AsSpan(at, sentences[s].Length).SequenceEqual(sentences[s]))
            {
                return false;
            }

            used[s] = true;
            at += sentences[s].Length;
        }

        return used.All(u => u);
    }

    [Fact]
    public void InfillingSpanLengthsArePoissonThree()
    {
        var lengths = Noiser(new BartNoiseOptions { InfillRatio = 0.3 }, 1).SampleSpanLengths(100_000);
        Assert.Equal(100_000, lengths.Sum());
        var full = lengths.SkipLast(1).ToArray(); // the last one is trimmed to the budget
        Assert.InRange(full.Average(), 2.95, 3.05);
        Assert.InRange(full.Count(l => l == 0) / (double)full.Length, Math.Exp(-3) - 0.005, Math.Exp(-3) + 0.005);
        Assert.InRange(full.Count(l => l == 3) / (double)full.Length, 4.5 * Math.Exp(-3) - 0.01, 4.5 * Math.Exp(-3) + 0.01);
    }

    [Fact]
    public void InfillingReplacesSpansByOneMaskEach()
    {
        var noiser = Noiser(new BartNoiseOptions { InfillRatio = 0.3 }, 2);
        var (removed, budget, masks) = (0, 0, 0);
        for (var trial = 0; trial < 100; trial++)
        {
            var doc = Document(500);
            var noised = noiser.InfillText(doc, 0.3);
            Assert.Equal(Bos, noised[0]);
            Assert.Equal(Eos, noised[^1]);
            var kept = noised.Where(t => t != MaskId).ToArray();
            Assert.True(IsSubsequence(kept, doc));
            removed += doc.Length - kept.Length;
            budget += 150;
            masks += noised.Length - kept.Length;
        }

        // Removed tokens never exceed the budget; overlapping spans (allowed by fairseq) make it somewhat smaller.
        Assert.InRange(removed / (double)budget, 0.75, 1.0);
        // About one mask per Poisson span: budget / E[length] = 150 / 3 spans (zero-length ones are insertions).
        Assert.InRange(masks / (budget / 3.0), 0.8, 1.05);
    }

    [Fact]
    public void ZeroLengthSpansInsertMasks()
    {
        // Budget ceil(10 · 0.1) = 1: Poisson draws until the first non-zero one (trimmed to 1). Each zero before it is an
        // inserted <mask>; their count is geometric with mean e⁻³ / (1 − e⁻³) = 0.0524.
        var noiser = Noiser(new BartNoiseOptions(), 9);
        var doc = Document(10);
        var inserted = 0;
        for (var trial = 0; trial < 4000; trial++)
        {
            var noised = noiser.InfillText(doc, 0.1);
            var kept = noised.Where(t => t != MaskId).ToArray();
            Assert.Equal(doc.Length - 1, kept.Length); // one span of one token became one <mask>
            Assert.True(IsSubsequence(kept, doc));
            inserted += noised.Length - doc.Length;
            Assert.Equal(1 + noised.Length - doc.Length, noised.Count(t => t == MaskId));
        }

        Assert.InRange(inserted / 4000.0, 0.0524 - 0.012, 0.0524 + 0.012);
    }

    [Fact]
    public void TokenMaskingAndDeletionTouchExactlyTheRatio()
    {
        var noiser = Noiser(new BartNoiseOptions(), 3);
        var doc = Document(101);
        var masked = noiser.MaskTokens(doc, 0.15);
        Assert.Equal(doc.Length, masked.Length);
        Assert.Equal(16, masked.Count(t => t == MaskId)); // ceil(101 · 0.15)
        Assert.All(Enumerable.Range(0, doc.Length), i => Assert.True(masked[i] == doc[i] || masked[i] == MaskId));
        var deleted = noiser.DeleteTokens(doc, 0.15);
        Assert.Equal(doc.Length - 16, deleted.Length);
        Assert.True(IsSubsequence(deleted, doc));
        Assert.Equal([Bos, Eos], [deleted[0], deleted[^1]]);
    }

    [Fact]
    public void RandomRatioReplacesSomeMasksByRandomTokens()
    {
        var noiser = Noiser(new BartNoiseOptions { RandomRatio = 0.5 }, 4);
        var doc = Document(2000);
        var masked = noiser.MaskTokens(doc, 0.5);
        var changed = Enumerable.Range(0, doc.Length).Count(i => masked[i] != doc[i]);
        var asMask = masked.Count(t => t == MaskId);
        Assert.InRange(asMask / 1000.0, 0.45, 0.55);
        Assert.InRange(changed, 990, 1000); // a random id equal to the original is rare
    }

    [Fact]
    public void SentencePermutationShufflesWholeSentences()
    {
        // five sentences "a a .", each with its own id
        int[] doc = [Bos, 10, 11, Stop, 20, Stop, 30, 31, 32, Stop, 40, Stop, 50, 51, Eos];
        int[][] sentences = [[10, 11, Stop], [20, Stop], [30, 31, 32, Stop], [40, Stop], [50, 51]];
        var noiser = Noiser(new BartNoiseOptions(), 5);
        var orders = new HashSet<string>();
        for (var trial = 0; trial < 200; trial++)
        {
            var permuted = noiser.PermuteSentences(doc, 1.0);
            Assert.Equal(doc.Order(), permuted.Order());
            Assert.Equal(Bos, permuted[0]);
            Assert.Equal(Eos, permuted[^1]);
            Assert.True(IsConcatenationOf(permuted[1..^1], sentences), string.Join(',', permuted));
            orders.Add(string.Join(',', permuted));
        }

        Assert.True(orders.Count > 60, $"{orders.Count} distinct orders of 5! = 120"); // really permuted
        Assert.Equal(doc, noiser.PermuteSentences(doc, 0.0));
    }

    [Fact]
    public void RotationHappensAtItsRatio()
    {
        var noiser = Noiser(new BartNoiseOptions { RotateRatio = 0.5 }, 6);
        var doc = Document(50);
        var rotated = 0;
        for (var trial = 0; trial < 4000; trial++)
        {
            var result = noiser.Apply(doc);
            Assert.Equal([Bos, Eos], [result[0], result[^1]]);
            var inner = result[1..^1];
            var offset = Array.IndexOf(inner, 100);
            Assert.Equal(doc[1..^1], inner[offset..].Concat(inner[..offset]));
            rotated += offset == 0 ? 0 : 1;
        }

        Assert.InRange(rotated / 4000.0, 0.47, 0.53);
    }

    [Fact]
    public void ShortAndEmptyDocumentsPassThrough()
    {
        var noiser = Noiser(new BartNoiseOptions { MaskRatio = 0.3, DeleteRatio = 0.3, InfillRatio = 0.3, PermuteSentenceRatio = 1, RotateRatio = 1 }, 7);
        Assert.Equal([Bos, Eos], noiser.Apply([Bos, Eos]));
        Assert.Empty(noiser.Apply([]));
        var batch = new BartDenoisingCollator(noiser, padId: 1, decoderStartId: Eos).Collate([[], [Bos, 100, 101, Eos]]);
        Assert.Equal([0, 0, 0, 0], batch.DecoderAttentionMask!.ToArray()[..4]);
        Assert.Equal([-100, -100, -100, -100], batch.Labels!.ToArray()[..4]);
        var one = noiser.Apply([Bos, 100, Eos]);
        Assert.Equal([Bos, Eos], [one[0], one[^1]]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Noiser(new BartNoiseOptions { InfillRatio = 2 }, 1));
    }

    [Fact]
    public void SameSeedSameNoiseAndCollatedBatch()
    {
        var options = new BartNoiseOptions { MaskRatio = 0.1, InfillRatio = 0.3, PermuteSentenceRatio = 1, RotateRatio = 0.5 };
        int[][] docs = [[Bos, 10, 11, Stop, 20, 21, Stop, 30, Eos], Document(40)];
        var a = new BartDenoisingCollator(Noiser(options, 8), padId: 1, decoderStartId: Eos).Collate(docs);
        var b = new BartDenoisingCollator(Noiser(options, 8), padId: 1, decoderStartId: Eos).Collate(docs);
        Assert.Equal(a.InputIds.ToArray(), b.InputIds.ToArray());
        Assert.Equal(BatchPadding.Pad(docs, -100).ToArray(), a.Labels!.ToArray());
        Assert.Equal([Eos, Bos, 10, 11, Stop, 20, 21, Stop, 30], a.DecoderInputIds!.ToArray().Take(9));
    }
}
