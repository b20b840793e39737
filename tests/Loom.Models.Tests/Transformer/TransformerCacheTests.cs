// KV-cached incremental decoding of the from-scratch Transformer against full recomputation, for every position scheme
// and both generating kinds: a decoder-only batch with a left-padded row (HF position ids cumsum(mask) − 1) and an
// encoder-decoder batch with a padded source (encoder run once, cross-attention keys projected once). The comparison is
// shown to be sharp: a cached step at the wrong positions, or missing one cached key, misses by far more than the tolerance.
// The views also return HF's optional outputs: L + 1 hidden states and normalised, causal attention maps.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Models.Transformer;
using Loom.Nn;

namespace Loom.Models.Tests.Transformer;

public sealed class TransformerCacheTests
{
    private const int Vocab = 17;
    private const float Tolerance = 1e-6f;

    // Row 1 is left-padded by two columns; the generated columns are fixed so that both paths see the same tokens.
    private static readonly int[][] Prompt = [[3, 9, 4, 1], [0, 0, 5, 7]];
    private static readonly int[][] PromptMask = [[1, 1, 1, 1], [0, 0, 1, 1]];
    private static readonly int[][] Continuation = [[2, 8], [6, 1], [11, 11], [4, 15], [9, 3]];

    public static TheoryData<PositionKind> PositionKinds() => [.. Enum.GetValues<PositionKind>()];

    [Theory]
    [MemberData(nameof(PositionKinds))]
    public void Decoder_only_cached_steps_equal_full_recomputation_at_every_step(PositionKind positions)
    {
        var model = new TransformerCausalLm(new TransformerModel(Weights.Initialize(new Generator(11)), Config(TransformerKind.DecoderOnly, positions)));
        var cache = new DecoderCache(model.LayerCount);
        var (ids, mask) = (Prompt.Select(r => r.ToList()).ToArray(), PromptMask.Select(r => r.ToList()).ToArray());
        using var noGrad = Tensor.NoGrad();
        var cached = LastLogits(model.Forward(Ints(ids), Ints(mask), Ints(PositionIds(mask, ids[0].Count)), cache).Logits);
        foreach (var column in Continuation.Append([0, 0]))
        {
            var full = LastLogits(model.Forward(Ints(ids), Ints(mask), Ints(PositionIds(mask, ids[0].Count))).Logits);
            AssertClose(full, cached);
            for (var row = 0; row < ids.Length; row++)
            {
                ids[row].Add(column[row]);
                mask[row].Add(1);
            }

            cached = LastLogits(model.Forward(Ints(column.Select(t => new List<int> { t }).ToArray()), Ints(mask), Ints(PositionIds(mask, 1)), cache).Logits);
        }

        Assert.Equal(Prompt[0].Length + Continuation.Length + 1, cache.Length);
    }

    [Theory]
    [MemberData(nameof(PositionKinds))]
    public void A_left_padded_row_decodes_as_it_does_alone(PositionKind positions)
    {
        var model = new TransformerCausalLm(new TransformerModel(Weights.Initialize(new Generator(12)), Config(TransformerKind.DecoderOnly, positions)));
        using var noGrad = Tensor.NoGrad();
        var batch = LastLogits(model.Forward(Ints(Prompt), Ints(PromptMask), Ints(PositionIds(PromptMask, 4))).Logits);
        var alone = LastLogits(model.Forward(Ints([[5, 7]])).Logits);
        AssertClose(alone, batch[Vocab..]);
    }

    [Theory]
    [MemberData(nameof(PositionKinds))]
    public void Encoder_decoder_cached_steps_equal_full_recomputation_at_every_step(PositionKind positions)
    {
        var model = new TransformerSeq2SeqLm(new TransformerModel(Weights.Initialize(new Generator(13)), Config(TransformerKind.EncoderDecoder, positions)));
        using var noGrad = Tensor.NoGrad();
        var sourceMask = Ints([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]);
        var memory = model.Encode(Ints([[4, 4, 2, 11, 6], [7, 3, 9, 0, 0]]), sourceMask).LastHiddenState; // (B, S, C)
        var cache = new Seq2SeqCache(model.DecoderLayerCount);
        var ids = new[] { new List<int> { 1 }, new List<int> { 1 } };
        var cached = LastLogits(model.Decode(Ints(ids), memory, sourceMask, cache: cache).Logits);
        foreach (var column in Continuation)
        {
            AssertClose(LastLogits(model.Decode(Ints(ids), memory, sourceMask).Logits), cached);
            for (var row = 0; row < ids.Length; row++)
            {
                ids[row].Add(column[row]);
            }

            cached = LastLogits(model.Decode(Ints(column.Select(t => new List<int> { t }).ToArray()), memory, sourceMask, cache: cache).Logits);
        }

        AssertClose(LastLogits(model.Decode(Ints(ids), memory, sourceMask).Logits), cached);
        Assert.Equal(Continuation.Length + 1, cache.SelfAttention.Length);
        Assert.Equal([2, 2, 5, 8], cache.CrossAttention(0, () => throw new InvalidOperationException("not cached")).Keys.Shape); // (B, H, S, D)
    }

    [Theory]
    [InlineData(PositionKind.Sinusoidal)]
    [InlineData(PositionKind.Learned)]
    [InlineData(PositionKind.Rotary)]
    public void A_cached_step_at_the_wrong_positions_misses_the_full_recomputation(PositionKind positions)
    {
        var model = new TransformerCausalLm(new TransformerModel(Weights.Initialize(new Generator(14)), Config(TransformerKind.DecoderOnly, positions)));
        using var noGrad = Tensor.NoGrad();
        var cache = new DecoderCache(model.LayerCount);
        model.Forward(Ints([[3, 9, 4]]), cache: cache);
        var shifted = LastLogits(model.Forward(Ints([[1]]), positionIds: Ints([[4]]), cache: cache).Logits);
        var full = LastLogits(model.Forward(Ints([[3, 9, 4, 1]])).Logits);
        Assert.True(MaxDifference(full, shifted) > 1000 * Tolerance * Scale(full), $"max difference {MaxDifference(full, shifted)}");
    }

    [Fact]
    public void An_alibi_step_that_misses_one_cached_key_misses_the_full_recomputation()
    {
        var model = new TransformerCausalLm(new TransformerModel(Weights.Initialize(new Generator(15)), Config(TransformerKind.DecoderOnly, PositionKind.Alibi)));
        using var noGrad = Tensor.NoGrad();
        var cache = new DecoderCache(model.LayerCount);
        model.Forward(Ints([[3, 9, 4]]), cache: cache);
        var missing = LastLogits(model.Forward(Ints([[1]]), Ints([[0, 1, 1, 1]]), Ints([[3]]), cache).Logits);
        var full = LastLogits(model.Forward(Ints([[3, 9, 4, 1]])).Logits);
        Assert.True(MaxDifference(full, missing) > 1000 * Tolerance * Scale(full), $"max difference {MaxDifference(full, missing)}");
    }

    [Fact]
    public void The_views_return_hidden_states_and_causal_attention_maps_on_request()
    {
        var config = Config(TransformerKind.EncoderDecoder, PositionKind.Alibi);
        var model = new TransformerSeq2SeqLm(new TransformerModel(Weights.Initialize(new Generator(16)), config));
        using var noGrad = Tensor.NoGrad();
        var encoded = model.Encode(Ints([[4, 4, 2, 11, 6]]), outputAttentions: true, outputHiddenStates: true);
        var decoded = model.Decode(Ints([[1, 5, 9]]), encoded.LastHiddenState, outputAttentions: true, outputHiddenStates: true);
        Assert.Equal(config.Layers + 1, decoded.HiddenStates!.Count);
        Assert.Equal(decoded.LastHiddenState.ToArray(), decoded.HiddenStates[^1].ToArray());
        Assert.Equal([1, 2, 5, 5], encoded.Attentions![0].Shape); // (B, H, S, S)
        Assert.Equal([1, 2, 3, 5], decoded.CrossAttentions![0].Shape); // (B, H, T, S)
        var self = decoded.Attentions![1].ToArray(); // (1, H, T, T)
        for (var row = 0; row < 2 * 3; row++)
        {
            var i = row % 3;
            Assert.Equal(1f, self[(row * 3)..((row + 1) * 3)].Sum(), 1e-5f);
            Assert.All(self[((row * 3) + i + 1)..((row + 1) * 3)], p => Assert.Equal(0f, p));
        }
    }

    /// <summary>HF position ids: cumsum(mask) − 1 over each row, padded positions 1; the last <paramref name="length"/> columns.</summary>
    private static int[][] PositionIds(IReadOnlyList<IReadOnlyList<int>> mask, int length) =>
        [.. mask.Select(row =>
        {
            var seen = 0;
            return row.Select(m => m == 0 ? 1 : seen++).ToArray()[^length..];
        })];

    private static IntTensor Ints(IReadOnlyList<IReadOnlyList<int>> rows) =>
        IntTensor.FromArray([.. rows.SelectMany(r => r)], rows.Count, rows[0].Count);

    /// <summary>The last position of logits (B, T, V) as (B·V).</summary>
    private static float[] LastLogits(Tensor logits) => logits.Narrow(1, logits.Size(1) - 1, 1).Contiguous().ToArray();

    private static float MaxDifference(float[] expected, float[] actual) =>
        expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();

    private static float Scale(float[] values) => MathF.Max(1f, values.Max(MathF.Abs));

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance * Scale(expected), $"max difference {difference} over |logit| ≤ {Scale(expected)}");
    }

    private static TransformerConfig Config(TransformerKind kind, PositionKind positions) => new()
    {
        Kind = kind,
        Positions = positions,
        Layers = 2,
        Channels = 16,
        Heads = 2,
        FeedForward = 32,
        VocabSize = Vocab,
        MaxPositions = 16,
        DecoderStartTokenId = 1,
    };
}
