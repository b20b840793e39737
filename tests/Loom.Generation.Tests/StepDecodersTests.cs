using Loom.Models;
using Loom.Models.Auto;

namespace Loom.Generation.Tests;

/// <summary>Choosing the decoding side of a model folder from its config.json.</summary>
public sealed class StepDecodersTests
{
    [Theory]
    [InlineData("bart", true, 2)]
    [InlineData("t5_v1_1", true, 0)]
    [InlineData("gpt2", false, -1)]
    public void FolderGetsTheDecoderOfItsKind(string name, bool encoderDecoder, int decoderStart)
    {
        var decoder = StepDecoders.Load(TestData.Path("hf", name));

        Assert.Equal(512, decoder.VocabSize);
        if (encoderDecoder)
        {
            Assert.Equal(decoderStart, Assert.IsType<Seq2SeqStepDecoder>(decoder).DecoderStartTokenId);
        }
        else
        {
            Assert.IsType<CausalStepDecoder>(decoder);
        }
    }

    [Fact]
    public void DecoderStartCanBeOverriddenAndIsChecked()
    {
        var dir = TestData.Path("hf", "t5");

        Assert.Equal(5, Assert.IsType<Seq2SeqStepDecoder>(StepDecoders.Load(dir, 5)).DecoderStartTokenId);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepDecoders.Load(dir, 512));
    }

    [Fact]
    public void EncoderOnlyFolderIsNotASeq2SeqLm()
    {
        var error = Assert.Throws<ModelLoadException>(() => AutoModel.LoadSeq2SeqLm(TestData.Path("hf", "bert_mlm")));

        Assert.Contains("BertForMaskedLM", error.Message);
    }
}
