// Expected lengths come from running HF transformers examples/flax/language-modeling/run_t5_mlm_flax.py
// compute_input_and_target_lengths (a copy of T5's random_spans_helper) under Python 3.11 — e.g. the well-known
// 512 → 568 raw tokens / 114 targets of T5 pretraining.
using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class T5SpanCorruptionTests
{
    private const int Pad = 0, Eos = 1, FirstSentinel = 32099;

    [Theory]
    [InlineData(512, 0.15, 3.0, 568, 114)]
    [InlineData(128, 0.15, 3.0, 141, 29)]
    [InlineData(64, 0.15, 3.0, 70, 14)]
    [InlineData(256, 0.3, 5.0, 336, 122)]
    [InlineData(100, 0.5, 3.0, 148, 100)]
    [InlineData(37, 0.15, 2.0, 39, 10)]
    [InlineData(1024, 0.15, 3.0, 1137, 229)]
    [InlineData(512, 0.5, 3.0, 766, 512)]
    public void LengthsMatchTheReferenceArithmeticAndTheCollator(int inputs, double density, double span, int tokens, int targets)
    {
        Assert.Equal((tokens, targets), T5SpanLengths.ForInputLength(inputs, density, span));
        var collator = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(1), density, span);
        var rng = new Generator(2);
        var sequences = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, tokens).Select(_ => 100 + rng.NextInt(30000)).ToArray()).ToArray();
        var batch = collator.Collate(sequences);
        Assert.Equal([4, inputs], batch.InputIds.Shape);
        Assert.Equal([4, targets], batch.Labels!.Shape);
        Assert.DoesNotContain(0, batch.AttentionMask.ToArray());
        Assert.DoesNotContain(TrainingBatch.IgnoreIndex, batch.Labels.ToArray());
    }

    [Fact]
    public void NoiseMaskHasTheExactCountsAndStartsWithKeptText()
    {
        var collator = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(3));
        for (var length = 2; length < 300; length += 7)
        {
            var mask = collator.NoiseMask(length);
            var (noise, spans) = T5SpanLengths.NoiseCounts(length, 0.15, 3);
            Assert.Equal(noise, mask.Count(m => m));
            Assert.Equal(spans, Enumerable.Range(0, length).Count(i => mask[i] && (i == 0 || !mask[i - 1])));
            Assert.False(mask[0]);
        }
    }

    [Fact]
    public void SpanLengthsAverageTheMeanAndDensityHolds()
    {
        var collator = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(4));
        var (noise, spans, total) = (0, 0, 0);
        for (var trial = 0; trial < 200; trial++)
        {
            var mask = collator.NoiseMask(568);
            noise += mask.Count(m => m);
            spans += Enumerable.Range(0, mask.Length).Count(i => mask[i] && !mask[i - 1]);
            total += mask.Length;
        }

        Assert.InRange(noise / (double)total, 0.149, 0.151);
        Assert.InRange(noise / (double)spans, 2.9, 3.1);
    }

    [Fact]
    public void InputsAndTargetsReassembleTheOriginal()
    {
        var collator = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(5));
        var tokens = Enumerable.Range(100, 200).ToArray();
        var (inputs, targets) = collator.Corrupt(tokens);
        Assert.Equal(Eos, inputs[^1]);
        Assert.Equal(Eos, targets[^1]);
        var sentinels = inputs.Where(t => t > 30000).ToArray();
        Assert.Equal(Enumerable.Range(0, sentinels.Length).Select(k => FirstSentinel - k), sentinels);
        Assert.Equal(sentinels, targets.Where(t => t > 30000));
        // Replace each sentinel in the input by the target tokens after the same sentinel.
        var rebuilt = new List<int>();
        foreach (var t in inputs[..^1])
        {
            if (t > 30000)
            {
                rebuilt.AddRange(targets.SkipWhile(x => x != t).Skip(1).TakeWhile(x => x < 30000 && x != Eos));
            }
            else
            {
                rebuilt.Add(t);
            }
        }

        Assert.Equal(tokens, rebuilt);
        var batch = collator.Collate([tokens]);
        Assert.Equal([Pad, .. batch.Labels!.ToArray()[..^1]], batch.DecoderInputIds!.ToArray());
    }

    [Fact]
    public void InputsShorterThanASpanStillCorruptAndTooShortThrow()
    {
        var collator = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(6));
        var (inputs, targets) = collator.Corrupt([7, 8]);
        Assert.Equal([7, FirstSentinel, Eos], inputs);
        Assert.Equal([FirstSentinel, 8, Eos], targets);
        Assert.Throws<ArgumentOutOfRangeException>(() => collator.Corrupt([7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(6), noiseDensity: 0));
    }

    [Fact]
    public void SameSeedSameBatch()
    {
        int[][] data = [[.. Enumerable.Range(100, 70)], [.. Enumerable.Range(300, 50)]];
        var a = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(9)).Collate(data);
        var b = new T5SpanCorruptionCollator(FirstSentinel, Eos, Pad, new Generator(9)).Collate(data);
        Assert.Equal(a.InputIds.ToArray(), b.InputIds.ToArray());
        Assert.Equal(a.Labels!.ToArray(), b.Labels!.ToArray());
        Assert.Contains(TrainingBatch.IgnoreIndex, a.Labels.ToArray()); // the shorter row's labels are padded with −100
    }
}
