// The configurable Transformer: every combination of kind, positions, norm, placement, feed-forward and tying builds
// and gives finite logits of shape (B, T, V); decoders are causal under every position scheme; tying shares one
// tensor; a tiny decoder-only model memorises a short sequence with AdamW.
using Loom.Core;
using Loom.Models.Transformer;
using Loom.Nn;

namespace Loom.Models.Tests.Transformer;

public sealed class TransformerModelTests
{
    private const int Vocab = 17;

    public static TheoryData<TransformerKind, PositionKind, NormKind, bool, FeedForwardKind, bool> Combinations()
    {
        var data = new TheoryData<TransformerKind, PositionKind, NormKind, bool, FeedForwardKind, bool>();
        foreach (var kind in Enum.GetValues<TransformerKind>())
        {
            foreach (var positions in Enum.GetValues<PositionKind>())
            {
                foreach (var norm in Enum.GetValues<NormKind>())
                {
                    foreach (var preNorm in new[] { true, false })
                    {
                        foreach (var feedForward in Enum.GetValues<FeedForwardKind>())
                        {
                            foreach (var tied in new[] { true, false })
                            {
                                data.Add(kind, positions, norm, preNorm, feedForward, tied);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Every_combination_gives_finite_logits_of_shape_batch_time_vocab_and_a_finite_loss(
        TransformerKind kind, PositionKind positions, NormKind norm, bool preNorm, FeedForwardKind feedForward, bool tied)
    {
        var config = Config(kind, positions) with { Norm = norm, PreNorm = preNorm, FeedForwardActivation = feedForward, TieEmbeddings = tied };
        var model = new TransformerModel(Weights.Initialize(new Generator(1)), config);
        var ids = IntTensor.FromArray([3, 9, 4, 1, 7, 2, 8, 5, 6, 1, 0, 0], 2, 6);
        var mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 6);
        var labels = IntTensor.FromArray([9, 4, 1, 7, 2, -100, 5, 6, 1, 3, -100, -100], 2, 6);

        var output = model.Forward(ids, mask, labels: labels);

        Assert.Equal([2, 6, Vocab], output.Logits.Shape);
        Assert.All(output.Logits.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.True(float.IsFinite(output.Loss!.Item()));
        Assert.Equal(tied, ReferenceEquals(model.HeadWeight, model.Tokens.Weight));
    }

    [Theory]
    [InlineData(TransformerKind.DecoderOnly, PositionKind.Sinusoidal)]
    [InlineData(TransformerKind.DecoderOnly, PositionKind.Learned)]
    [InlineData(TransformerKind.DecoderOnly, PositionKind.Rotary)]
    [InlineData(TransformerKind.DecoderOnly, PositionKind.Alibi)]
    [InlineData(TransformerKind.EncoderDecoder, PositionKind.Sinusoidal)]
    [InlineData(TransformerKind.EncoderDecoder, PositionKind.Learned)]
    [InlineData(TransformerKind.EncoderDecoder, PositionKind.Rotary)]
    [InlineData(TransformerKind.EncoderDecoder, PositionKind.Alibi)]
    public void Decoder_output_at_t_does_not_depend_on_tokens_after_t(TransformerKind kind, PositionKind positions)
    {
        var model = new TransformerModel(Weights.Initialize(new Generator(2)), Config(kind, positions));
        int[] tokens = [3, 9, 4, 1, 7, 2, 8, 5];
        var source = IntTensor.FromArray([4, 4, 2, 11, 6], 1, 5);
        var reference = Logits(model, source, tokens);
        for (var t = 0; t < tokens.Length - 1; t++)
        {
            var changed = (int[])tokens.Clone();
            for (var later = t + 1; later < tokens.Length; later++)
            {
                changed[later] = (changed[later] + 5) % Vocab;
            }

            var logits = Logits(model, source, changed);
            for (var p = 0; p <= t; p++)
            {
                Assert.Equal(reference[p], logits[p], (a, b) => MathF.Abs(a - b) < 1e-4f);
            }

            Assert.NotEqual(reference[t + 1], logits[t + 1], (a, b) => MathF.Abs(a - b) < 1e-4f);
        }
    }

    [Fact]
    public void Encoder_output_at_t_depends_on_later_tokens()
    {
        var model = new TransformerModel(Weights.Initialize(new Generator(3)), Config(TransformerKind.EncoderOnly, PositionKind.Rotary));
        var first = model.Forward(IntTensor.FromArray([3, 9, 4, 1], 1, 4)).Logits.ToArray();
        var second = model.Forward(IntTensor.FromArray([3, 9, 4, 2], 1, 4)).Logits.ToArray();
        Assert.NotEqual(first[0], second[0]);
    }

    [Fact]
    public void Encoder_decoder_without_decoder_inputs_feeds_the_labels_shifted_right()
    {
        var config = Config(TransformerKind.EncoderDecoder, PositionKind.Sinusoidal) with { DecoderStartTokenId = 2, PadTokenId = 0 };
        var model = new TransformerModel(Weights.Initialize(new Generator(4)), config);
        var source = IntTensor.FromArray([5, 6, 7], 1, 3);
        var fromLabels = model.Forward(source, labels: IntTensor.FromArray([8, 9, -100], 1, 3));
        var explicitInputs = model.Forward(source, decoderInputIds: IntTensor.FromArray([2, 8, 9], 1, 3));
        Assert.Equal(explicitInputs.Logits.ToArray(), fromLabels.Logits.ToArray());
    }

    [Theory]
    [InlineData(PositionKind.Learned)]
    [InlineData(PositionKind.Rotary)]
    public void A_tiny_decoder_memorises_a_short_sequence_with_AdamW(PositionKind positions)
    {
        var config = Config(TransformerKind.DecoderOnly, positions) with { FeedForwardActivation = FeedForwardKind.SwiGlu, Norm = NormKind.RmsNorm };
        var model = new TransformerModel(Weights.Initialize(new Generator(5)), config);
        var ids = IntTensor.FromArray([1, 5, 9, 2, 14, 3, 7, 11, 6, 12], 1, 10);
        var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 1e-2, weightDecay: 0.0);
        var first = float.NaN;
        var loss = float.NaN;
        for (var step = 0; step < 60; step++)
        {
            optimizer.ZeroGrad();
            var output = model.Forward(ids, labels: ids).Loss!;
            output.Backward();
            optimizer.Step();
            loss = output.Item();
            first = step == 0 ? loss : first;
        }

        Assert.True(first > 2f, $"initial loss {first} should be near ln {Vocab}");
        Assert.True(loss < 0.05f, $"loss after 60 steps {loss}");
    }

    private static float[][] Logits(TransformerModel model, IntTensor source, int[] tokens)
    {
        var ids = IntTensor.FromArray(tokens, 1, tokens.Length);
        var output = model.Config.Kind == TransformerKind.EncoderDecoder ? model.Forward(source, decoderInputIds: ids) : model.Forward(ids);
        var values = output.Logits.ToArray();
        return [.. Enumerable.Range(0, tokens.Length).Select(t => values[(t * Vocab)..((t + 1) * Vocab)])];
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
    };
}
