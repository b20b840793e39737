using Loom.Core;
using Loom.Models.Rnn;
using Loom.Nn;

namespace Loom.Models.Tests.Rnn;

public sealed class RnnSeq2SeqModelTests
{
    private static readonly RnnSeq2SeqConfig Tiny = new()
    {
        SourceVocabSize = 8,
        TargetVocabSize = 8,
        EmbeddingSize = 16,
        HiddenSize = 32,
        Layers = 1,
        BidirectionalEncoder = true,
        DecoderStartTokenId = 1,
        PadTokenId = 0,
    };

    [Fact]
    public void Forward_ReturnsLogitsPerDecoderStep()
    {
        var model = new RnnSeq2SeqModel(Weights.Initialize(new Generator(1)), Tiny with { Layers = 2 });
        var source = IntTensor.FromArray([2, 3, 4, 5, 6, 7], 2, 3);
        var mask = IntTensor.FromArray([1, 1, 1, 1, 1, 0], 2, 3);
        var logits = model.Forward(source, mask, IntTensor.FromArray([1, 2, 3, 4, 1, 5, 6, 7], 2, 4));
        Assert.Equal([2, 4, 8], logits.Shape);
    }

    [Fact]
    public void SourcePadding_DoesNotChangeLogits()
    {
        var model = new RnnSeq2SeqModel(Weights.Initialize(new Generator(2)), Tiny with { Layers = 2 });
        var decoderInputs = IntTensor.FromArray([1, 4, 2], 1, 3);
        var unpadded = model.Forward(IntTensor.FromArray([5, 3, 7], 1, 3), IntTensor.FromArray([1, 1, 1], 1, 3), decoderInputs);
        var padded = model.Forward(IntTensor.FromArray([5, 3, 7, 6, 2], 1, 5), IntTensor.FromArray([1, 1, 1, 0, 0], 1, 5), decoderInputs);
        var (expected, actual) = (unpadded.ToArray(), padded.ToArray());
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void DecodingOneTokenAtATimeFromTheState_EqualsTeacherForcing()
    {
        var model = new RnnSeq2SeqModel(Weights.Initialize(new Generator(4)), Tiny with { Layers = 2 });
        var source = IntTensor.FromArray([5, 3, 7, 6, 2, 4, 0, 0], 2, 4);
        var mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 0, 0], 2, 4);
        int[] inputs = [1, 4, 2, 6, 1, 7, 7, 3]; // (2, 4)
        var teacherForced = model.Forward(source, mask, IntTensor.FromArray(inputs, 2, 4)).ToArray(); // (2, 4, V)
        var state = model.Encode(source, mask);
        for (var t = 0; t < 4; t++)
        {
            (var logits, state) = model.Decode(IntTensor.FromArray([inputs[t], inputs[4 + t]], 2, 1), state);
            var step = logits.ToArray(); // (2, 1, V)
            for (var row = 0; row < 2; row++)
            {
                for (var v = 0; v < 8; v++)
                {
                    Assert.Equal(teacherForced[(((row * 4) + t) * 8) + v], step[(row * 8) + v], 1e-6f);
                }
            }
        }
    }

    [Fact]
    public void TinyModel_LearnsToReverseSequences()
    {
        // Tokens 2..7 reversed; the second row is padded on the source side and ignores its last label (−100).
        var source = IntTensor.FromArray([2, 3, 4, 5, 6, 7, 5, 3, 2, 0], 2, 5);
        var mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 1, 0], 2, 5);
        var labels = IntTensor.FromArray([6, 5, 4, 3, 2, 2, 3, 5, 7, -100], 2, 5);
        var model = new RnnSeq2SeqModel(Weights.Initialize(new Generator(3)), Tiny);
        var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 1e-2, weightDecay: 0);
        var loss = float.NaN;
        for (var step = 0; step < 150 && !(loss < 0.01f); step++)
        {
            optimizer.ZeroGrad();
            var output = model.ForwardWithLabels(source, mask, labels);
            output.Loss.Backward();
            optimizer.Step();
            loss = output.Loss.Item();
        }

        Assert.True(loss < 0.01f, $"loss {loss}");
        var decoded = model.Greedy(source, mask, 5).ToArray();
        Assert.Equal([6, 5, 4, 3, 2], decoded[..5]);
        Assert.Equal([2, 3, 5, 7], decoded[5..9]);
    }
}
