// T5 (relu, tied, 32 buckets) and T5 v1.1 (gated-gelu, untied, 8 buckets / max distance 20) against the Hugging Face
// transformers 4.44.2 fixtures (tests/testdata/hf/t5, t5_v1_1; README §3): every forward and loss output at valid
// positions within 1e-3 absolute (README §6 for T5), state-dict coverage, incremental decoding and checkpoint errors.
using Loom.Models.T5;
using Loom.Models.Tests.Bert;
using Loom.Models.Tests.Seq2Seq;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.T5;

public sealed class T5FixtureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("t5")]
    [InlineData("t5_v1_1")]
    public void Fixture_MatchesTransformers(string fixture)
    {
        HfFixture.AssertConforms(fixture, T5FixtureModel.Load(HfFixture.Dir(fixture)), output);
    }

    [Theory]
    [InlineData("t5")]
    [InlineData("t5_v1_1")]
    public void Parameters_EqualTheStateDict(string fixture)
    {
        var model = T5ForConditionalGeneration.Load(HfFixture.Dir(fixture));
        HfFixture.AssertStateDict(fixture, model.Parameters, model.TiedWeights);
    }

    [Theory]
    [InlineData("t5")]
    [InlineData("t5_v1_1")]
    public void IncrementalDecoding_EqualsFullForward(string fixture)
    {
        var worst = Seq2SeqIncremental.AssertMatchesFullForward(T5ForConditionalGeneration.Load(HfFixture.Dir(fixture)), fixture, 1e-4);
        output.WriteLine($"max |incremental − full| logit difference: {worst:g3}");
    }

    [Fact]
    public void MissingRelativeBias_NamesIt()
    {
        var model = T5ForConditionalGeneration.Load(HfFixture.Dir("t5_v1_1"));
        var dir = HfFixture.WriteVariant("t5_v1_1", model.Parameters, ps => ps.Where(p => p.Key != "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"));
        var error = Assert.Throws<StateDictException>(() => T5ForConditionalGeneration.Load(dir));
        Assert.Contains("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[8, 4]", error.Message, StringComparison.Ordinal);
    }
}
