// GLM's model on hand-built blank-infilling rows: logits are (B, T, V); part A is read bidirectionally and part B
// causally (the probe is shown to fail when the prefix says otherwise); padding leaves the other positions alone; the
// loss is the unshifted cross-entropy of the collator's aligned labels, checked against a float64 computation here; the
// gradient reaches both position tables at exactly the rows the 2-D ids name.
using Loom.Core;
using Loom.Models.Glm;
using Loom.Nn;

namespace Loom.Models.Tests.Glm;

public sealed class GlmModelTests
{
    private const int Vocab = 13, Mask = 2, Sop = 3, Eop = 4;

    // Text 5 6 [7 8] 9 blanked as part A "5 6 [MASK] 9" (prefix 4) and part B "[sop] 7 8" predicting "7 8 [eop]".
    private static readonly int[] Ids = [5, 6, Mask, 9, Sop, 7, 8];
    private static readonly int[] Labels = [-100, -100, -100, -100, 7, 8, Eop];
    private static readonly int[] PositionRow = [0, 1, 2, 3, 2, 2, 2];
    private static readonly int[] BlockRow = [0, 0, 0, 0, 1, 2, 3];
    private const int Prefix = 4;

    private static GlmModel Model(ulong seed = 3) => new(Weights.Initialize(new Generator(seed)),
        new GlmConfig { VocabSize = Vocab, HiddenSize = 16, Layers = 2, Heads = 2, MaxSequenceLength = 12 });

    private static IntTensor TwoD(int[] positions, int[] blocks) => IntTensor.FromArray([.. positions, .. blocks], 1, 2, positions.Length);

    private static float[] Logits(GlmModel model, int[] ids, int prefix)
    {
        using var noGrad = Tensor.NoGrad();
        return model.Forward(IntTensor.FromArray(ids, 1, ids.Length), TwoD(PositionRow, BlockRow), IntTensor.FromArray([prefix])).Logits.ToArray();
    }

    // The positions whose logits move when the token at `changed` is replaced.
    private static int[] Moved(GlmModel model, int prefix, int changed)
    {
        var before = Logits(model, Ids, prefix);
        var edited = (int[])Ids.Clone();
        edited[changed] = edited[changed] == 10 ? 11 : 10;
        var after = Logits(model, edited, prefix);
        return [.. Enumerable.Range(0, Ids.Length).Where(t => Enumerable.Range(t * Vocab, Vocab).Any(i => Math.Abs(before[i] - after[i]) > 1e-5f))];
    }

    [Fact]
    public void Logits_are_batch_time_vocab_and_position_ids_must_be_batch_two_time()
    {
        var model = Model();
        var ids = IntTensor.FromArray([.. Ids, .. Ids], 2, Ids.Length);
        var positions = IntTensor.FromArray([.. PositionRow, .. BlockRow, .. PositionRow, .. BlockRow], 2, 2, Ids.Length);

        var output = model.Forward(ids, positions, IntTensor.FromArray([Prefix, Prefix]), labels: IntTensor.FromArray([.. Labels, .. Labels], 2, Ids.Length));

        Assert.Equal([2, Ids.Length, Vocab], output.Logits.Shape);
        Assert.True(float.IsFinite(output.Loss!.Item()));
        Assert.Throws<TensorShapeException>(() => model.Forward(ids, IntTensor.FromArray([.. PositionRow, .. PositionRow], 2, Ids.Length), IntTensor.FromArray([Prefix, Prefix])));
    }

    [Fact]
    public void Part_a_is_bidirectional_and_part_b_is_causal()
    {
        var model = Model();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Moved(model, Prefix, changed: 3)); // the last part-A token reaches every position
        Assert.Equal([5, 6], Moved(model, Prefix, changed: 5)); // a part-B token reaches only itself and later ones
    }

    [Fact]
    public void The_direction_probe_fails_when_the_prefix_says_otherwise()
    {
        var model = Model();
        Assert.Equal([3, 4, 5, 6], Moved(model, prefix: 0, changed: 3)); // all causal: earlier part-A positions no longer see token 3
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Moved(model, prefix: Ids.Length, changed: 5)); // all bidirectional: part B leaks backwards
    }

    [Theory]
    [InlineData(Prefix)]
    [InlineData(7)] // the prefix covers every real token, so the padding mask alone hides the pads
    public void Padding_does_not_change_the_logits_of_real_tokens(int prefix)
    {
        var model = Model();
        var alone = Logits(model, Ids, prefix);
        var t = Ids.Length + 3;
        var ids = IntTensor.FromArray([.. Ids, 0, 0, 0], 1, t);
        var positions = IntTensor.FromArray([.. PositionRow, 0, 0, 0, .. BlockRow, 0, 0, 0], 1, 2, t);
        var mask = IntTensor.FromArray([.. Enumerable.Repeat(1, Ids.Length), 0, 0, 0], 1, t);
        float[] Padded(IntTensor? attentionMask, int padPrefix)
        {
            using var noGrad = Tensor.NoGrad();
            return model.Forward(ids, positions, IntTensor.FromArray([padPrefix]), attentionMask).Logits.ToArray();
        }

        var padded = Padded(mask, prefix == Prefix ? Prefix : t);
        for (var i = 0; i < Ids.Length * Vocab; i++)
        {
            Assert.Equal(alone[i], padded[i], 1e-5f);
        }

        if (prefix != Prefix)
        {
            var seen = Padded(null, t); // without the mask the bidirectional prefix reads the pads
            Assert.Contains(Enumerable.Range(0, Vocab), i => Math.Abs(seen[i] - alone[i]) > 1e-4f);
        }
    }

    [Fact]
    public void The_loss_is_the_unshifted_cross_entropy_of_the_aligned_labels()
    {
        var model = Model();
        var output = model.Forward(IntTensor.FromArray(Ids, 1, Ids.Length), TwoD(PositionRow, BlockRow), IntTensor.FromArray([Prefix]),
            labels: IntTensor.FromArray(Labels, 1, Ids.Length));
        var logits = output.Logits.ToArray();
        var scored = Enumerable.Range(0, Ids.Length).Where(t => Labels[t] >= 0).ToArray();
        var expected = scored.Average(t =>
        {
            var row = logits.AsSpan(t * Vocab, Vocab).ToArray().Select(v => (double)v).ToArray();
            var max = row.Max();
            return max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[Labels[t]];
        });
        Assert.Equal(expected, output.Loss!.Item(), 1e-5);
    }

    [Fact]
    public void The_gradient_reaches_both_position_tables_at_the_rows_the_ids_name()
    {
        var model = Model();
        var output = model.Forward(IntTensor.FromArray(Ids, 1, Ids.Length), TwoD(PositionRow, BlockRow), IntTensor.FromArray([Prefix]),
            labels: IntTensor.FromArray(Labels, 1, Ids.Length));
        output.Loss!.Backward();

        static int[] RowsWithGradient(Embedding table) =>
            [.. Enumerable.Range(0, table.Count).Where(r => table.Weight.Grad!.ToArray().AsSpan(r * table.Dim, table.Dim).ToArray().Any(v => v != 0f))];

        Assert.Equal([0, 1, 2, 3], RowsWithGradient(model.Positions));
        Assert.Equal([0, 1, 2, 3], RowsWithGradient(model.BlockPositions));
    }

    [Fact]
    public void Dropout_acts_in_training_mode_only()
    {
        var config = new GlmConfig { VocabSize = Vocab, HiddenSize = 16, Layers = 2, Heads = 2, MaxSequenceLength = 12 };
        float[] Run(GlmConfig settings, bool training)
        {
            var weights = Weights.Initialize(new Generator(3));
            var model = new GlmModel(weights, settings);
            weights.Training = training;
            using var noGrad = Tensor.NoGrad();
            return model.Forward(IntTensor.FromArray(Ids, 1, Ids.Length), TwoD(PositionRow, BlockRow), IntTensor.FromArray([Prefix])).Logits.ToArray();
        }

        var plain = Run(config, training: false);
        Assert.Equal(plain, Run(config, training: true)); // probabilities 0: nothing dropped
        foreach (var dropout in new[] { config with { EmbeddingDropout = 0.5f }, config with { AttentionDropout = 0.5f }, config with { OutputDropout = 0.5f } })
        {
            Assert.Equal(plain, Run(dropout, training: false));
            Assert.NotEqual(plain, Run(dropout, training: true));
        }
    }
}
