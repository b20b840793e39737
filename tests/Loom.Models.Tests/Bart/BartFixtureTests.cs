// BART against the Hugging Face transformers 4.44.2 fixture (tests/testdata/hf/bart; README §3): every forward and loss
// output at valid positions within 1e-3 absolute (README §6 for BART), state-dict coverage, incremental decoding and
// checkpoint errors.
using Loom.Models.Bart;
using Loom.Models.Seq2Seq;
using Loom.Models.Tests.Bert;
using Loom.Models.Tests.Seq2Seq;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Bart;

public sealed class BartFixtureTests(ITestOutputHelper output)
{
    private static readonly Lazy<BartForConditionalGeneration> Model = new(() => BartForConditionalGeneration.Load(HfFixture.Dir("bart")));

    [Fact]
    public void Fixture_MatchesTransformers()
    {
        HfFixture.AssertConforms("bart", new BartFixtureModel(Model.Value), output);
    }

    [Fact]
    public void Parameters_EqualTheStateDict()
    {
        HfFixture.AssertStateDict("bart", Model.Value.Parameters, Model.Value.TiedWeights);
    }

    [Fact]
    public void IncrementalDecoding_EqualsFullForward()
    {
        var worst = Seq2SeqIncremental.AssertMatchesFullForward(Model.Value, "bart", 1e-4);
        output.WriteLine($"max |incremental − full| logit difference: {worst:g3}");
    }

    [Fact]
    public void ShiftRight_ReproducesDerivedDecoderInputs()
    {
        var labels = Core.IntTensor.FromArray([326, 46, 443, 120, 221, 217, 281, 92, 217, -100, -100, -100], 2, 6);
        Assert.Equal([2, 326, 46, 443, 120, 221, 2, 281, 92, 217, 1, 1], Seq2SeqLm.ShiftRight(labels, 2, 1).ToArray());
    }

    [Fact]
    public void WrongShape_NamesTensorAndBothShapes()
    {
        var dir = HfFixture.WriteVariant("bart", Model.Value.Parameters,
            ps => ps.Select(p => p.Key == "model.encoder.embed_positions.weight" ? new KeyValuePair<string, Core.Tensor>(p.Key, Core.Tensor.Zeros(64, 64)) : p));
        var error = Assert.Throws<StateDictException>(() => BartForConditionalGeneration.Load(dir));
        Assert.Contains("model.encoder.embed_positions.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[66, 64]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 64]", error.Message, StringComparison.Ordinal);
    }
}
