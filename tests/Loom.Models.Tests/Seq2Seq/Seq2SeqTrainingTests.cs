// Fresh (non-checkpoint) T5 and BART: parameters initialised as HF's _init_weights does (T5: N(0, factor·fan_in^−½) per
// projection; BART: N(0, init_std)), and the whole encoder-decoder is differentiable: a few AdamW steps on one tiny
// batch drive the teacher-forced loss down (overfitting a batch, DESIGN.md §4.5).
using Loom.Core;
using Loom.Models.Bart;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;

namespace Loom.Models.Tests.Seq2Seq;

public sealed class Seq2SeqTrainingTests
{
    private static readonly IntTensor Source = IntTensor.FromArray([5, 9, 12, 7, 1, 6, 8, 1, 0, 0], 2, 5);
    private static readonly IntTensor SourceMask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 5);
    private static readonly IntTensor Labels = IntTensor.FromArray([9, 5, 7, 1, 8, 6, 1, -100], 2, 4);

    [Fact]
    public void FreshT5_IsInitialisedAsTransformers()
    {
        var config = new T5Config { VocabSize = 40, DModel = 32, DKv = 8, DFf = 64, Layers = 1, Heads = 4, InitializerFactor = 2f };
        var weights = Weights.Initialize(new Generator(3));
        _ = new T5ForConditionalGeneration(weights, config);
        AssertStd(weights, "encoder.block.0.layer.0.SelfAttention.q.weight", 2 / Math.Sqrt(32 * 8));
        AssertStd(weights, "encoder.block.0.layer.0.SelfAttention.k.weight", 2 / Math.Sqrt(32));
        AssertStd(weights, "encoder.block.0.layer.1.DenseReluDense.wo.weight", 2 / Math.Sqrt(64));
        AssertStd(weights, "shared.weight", 2);
    }

    [Fact]
    public void FreshBart_IsInitialisedAsTransformers()
    {
        var config = new BartConfig { VocabSize = 40, DModel = 32, EncoderLayers = 1, DecoderLayers = 1, EncoderHeads = 4, DecoderHeads = 2, EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 16, InitStd = 0.3f };
        var weights = Weights.Initialize(new Generator(4));
        _ = new BartForConditionalGeneration(weights, config);
        AssertStd(weights, "model.shared.weight", 0.3);
        AssertStd(weights, "model.decoder.layers.0.fc2.weight", 0.3);
        Assert.All(weights.Parameters.Single(p => p.Key == "model.decoder.layers.0.fc2.bias").Value.ToArray(), b => Assert.Equal(0f, b));
    }

    [Theory]
    [InlineData("gated-gelu", false)]
    [InlineData("relu", true)]
    public void T5_OverfitsOneBatch(string feedForward, bool tied)
    {
        var config = new T5Config { VocabSize = 16, DModel = 32, DKv = 8, DFf = 64, Layers = 2, Heads = 4, FeedForwardProj = feedForward, TieWordEmbeddings = tied, RelativeAttentionNumBuckets = 8, RelativeAttentionMaxDistance = 16 };
        AssertOverfits(new T5ForConditionalGeneration(Weights.Initialize(new Generator(5)), config));
    }

    [Fact]
    public void Bart_OverfitsOneBatch()
    {
        var config = new BartConfig { VocabSize = 16, DModel = 32, EncoderLayers = 2, DecoderLayers = 2, EncoderHeads = 4, DecoderHeads = 2, EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 16, PadTokenId = 0, DecoderStartTokenId = 2 };
        AssertOverfits(new BartForConditionalGeneration(Weights.Initialize(new Generator(6)), config));
    }

    [Fact]
    public void T5RelativeAttentionBias_ReceivesGradient()
    {
        var config = new T5Config { VocabSize = 16, DModel = 32, DKv = 8, DFf = 64, Layers = 1, Heads = 4, RelativeAttentionNumBuckets = 8, RelativeAttentionMaxDistance = 16 };
        var model = new T5ForConditionalGeneration(Weights.Initialize(new Generator(7)), config);
        Seq2SeqLm.Forward(model, Source, SourceMask, labels: Labels).Loss!.Backward();
        foreach (var stack in new[] { "encoder", "decoder" })
        {
            var bias = model.Parameters.Single(p => p.Key == $"{stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight").Value;
            Assert.NotNull(bias.Grad);
            Assert.Contains(bias.Grad!.ToArray(), g => g != 0f);
        }
    }

    private static void AssertOverfits(ISeq2SeqLm model)
    {
        var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 3e-3, weightDecay: 0);
        float first = 0, last = 0;
        for (var step = 0; step < 60; step++) // 40 sufficed while BART's final_logits_bias (an HF buffer) was trained too
        {
            optimizer.ZeroGrad();
            var loss = Seq2SeqLm.Forward(model, Source, SourceMask, labels: Labels).Loss!;
            loss.Backward();
            optimizer.Step();
            last = loss.Item();
            if (step == 0)
            {
                first = last;
            }
        }

        Assert.True(float.IsFinite(first) && last < first * 0.1f, $"loss {first} → {last}");
    }

    private static void AssertStd(Weights weights, string name, double expected)
    {
        var values = weights.Parameters.Single(p => p.Key == name).Value.ToArray();
        var mean = values.Average(v => (double)v);
        var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(std, expected * 0.85, expected * 1.15);
    }
}
