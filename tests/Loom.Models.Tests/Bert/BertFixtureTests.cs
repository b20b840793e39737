// BERT against the Hugging Face transformers 4.44.2 fixtures (tests/testdata/hf/bert_*; README §3): every forward and
// loss output at valid positions within 1e-4 + 1e-4·|ref|, state-dict keys/shapes, and checkpoint errors.
using Loom.Models.Bert;
using Loom.Models.Decoding;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Bert;

public sealed class BertFixtureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("bert_mlm", "BertForMaskedLM")]
    [InlineData("bert_model", "BertModel")]
    [InlineData("bert_seqcls", "BertForSequenceClassification")]
    [InlineData("bert_tokcls", "BertForTokenClassification")]
    [InlineData("bert_qa", "BertForQuestionAnswering")]
    public void Fixture_MatchesTransformers(string fixture, string architecture)
    {
        var model = BertFixtureModel.Load(HfFixture.Dir(fixture));
        Assert.Equal(architecture, model.Architecture);
        HfFixture.AssertConforms(fixture, model, output);
    }

    [Theory]
    [InlineData("bert_mlm")]
    [InlineData("bert_model")]
    [InlineData("bert_seqcls")]
    [InlineData("bert_tokcls")]
    [InlineData("bert_qa")]
    public void Parameters_EqualTheStateDict(string fixture)
    {
        var model = BertFixtureModel.Load(HfFixture.Dir(fixture));
        HfFixture.AssertStateDict(fixture, model.Parameters, model.TiedWeights);
    }

    [Fact]
    public void MaskedLm_ParametersEqualTheStateDict()
    {
        var dir = HfFixture.Dir("bert_mlm");
        var mlm = HfCheckpoint.Load(dir, weights => new BertForMaskedLm(weights, HfCheckpoint.ReadConfig<BertConfig>(dir)));
        HfFixture.AssertStateDict("bert_mlm", mlm.Parameters, BertForMaskedLm.TiedWeights);
    }

    [Fact]
    public void MissingTensor_NamesIt()
    {
        var model = BertFixtureModel.Load(HfFixture.Dir("bert_mlm"));
        var dir = HfFixture.WriteVariant("bert_mlm", model.Parameters, ps => ps.Where(p => p.Key != "bert.encoder.layer.1.attention.self.key.weight"));
        var error = Assert.Throws<StateDictException>(() => BertFixtureModel.Load(dir));
        Assert.Contains("bert.encoder.layer.1.attention.self.key.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShape_NamesTensorAndBothShapes()
    {
        var model = BertFixtureModel.Load(HfFixture.Dir("bert_seqcls"));
        var dir = HfFixture.WriteVariant("bert_seqcls", model.Parameters,
            ps => ps.Select(p => p.Key == "classifier.weight" ? new KeyValuePair<string, Core.Tensor>(p.Key, Core.Tensor.Zeros(2, 64)) : p));
        var error = Assert.Throws<StateDictException>(() => BertFixtureModel.Load(dir));
        Assert.Contains("classifier.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 64]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 64]", error.Message, StringComparison.Ordinal);
    }
}
