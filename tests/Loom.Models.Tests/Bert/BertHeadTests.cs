// The BERT heads that have no HF fixture (pre-training, next-sentence prediction, multiple choice, regression and
// multi-label classification), checked against their definitions in HF modeling_bert.py on seeded random weights:
// heads built over one Weights tree share every parameter, so their outputs must agree exactly.
using Loom.Core;
using Loom.Models.Bert;
using Loom.Nn;

namespace Loom.Models.Tests.Bert;

public sealed class BertHeadTests
{
    private static readonly BertConfig Config = new()
    {
        VocabSize = 50,
        HiddenSize = 16,
        Layers = 2,
        Heads = 4,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 16,
        Id2Label = new Dictionary<string, string> { ["0"] = "a", ["1"] = "b", ["2"] = "c" },
    };

    private static readonly IntTensor Ids = IntTensor.FromArray([2, 7, 9, 11, 3, 2, 13, 3, 0, 0], 2, 5);
    private static readonly IntTensor Mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 5);

    [Fact]
    public void PreTraining_IsMaskedLmPlusNextSentence()
    {
        var weights = Weights.Initialize(new Generator(11));
        var pre = new BertForPreTraining(weights, Config);
        var mlm = new BertForMaskedLm(weights, Config);
        var nsp = new BertForNextSentencePrediction(weights, Config);
        var labels = IntTensor.FromArray([-100, 7, -100, -100, -100, -100, 13, -100, -100, -100], 2, 5);
        var next = IntTensor.FromArray([0, 1], 2);
        using var noGrad = Tensor.NoGrad();
        var p = pre.Forward(Ids, Mask, labels: labels, nextSentenceLabel: next);
        var m = mlm.Forward(Ids, Mask, labels: labels);
        var n = nsp.Forward(Ids, Mask, nextSentenceLabel: next);
        Assert.Equal(m.Logits.ToArray(), p.PredictionLogits.ToArray());
        Assert.Equal(n.Logits.ToArray(), p.SeqRelationshipLogits.ToArray());
        Assert.Equal(m.Loss!.Item() + n.Loss!.Item(), p.Loss!.Item(), 5);
        Assert.Equal(new[] { 2, 2 }, p.SeqRelationshipLogits.Shape);
    }

    [Fact]
    public void MultipleChoice_ScoresEachChoiceAsItsOwnSequence()
    {
        var weights = Weights.Initialize(new Generator(12));
        var choice = new BertForMultipleChoice(weights, Config);
        var bare = new BertModel(weights.Scope("bert"), Config, addPoolingLayer: true);
        using var noGrad = Tensor.NoGrad();
        var output = choice.Forward(Ids.Reshape(1, 2, 5), Mask.Reshape(1, 2, 5), labels: IntTensor.FromArray([1], 1));
        Assert.Equal(new[] { 1, 2 }, output.Logits.Shape);
        var classifierWeight = weights.Parameters.Single(p => p.Key == "classifier.weight").Value.ToArray();
        var classifierBias = weights.Parameters.Single(p => p.Key == "classifier.bias").Value.Item();
        var pooled = bare.Forward(Ids, Mask).PoolerOutput!.ToArray(); // (2, C)
        var logits = output.Logits.ToArray();
        for (var c = 0; c < 2; c++)
        {
            var score = classifierBias + Enumerable.Range(0, Config.HiddenSize).Sum(i => pooled[(c * Config.HiddenSize) + i] * classifierWeight[i]);
            Assert.Equal(score, logits[c], 4);
        }

        var expectedLoss = -(logits[1] - Math.Log(Math.Exp(logits[0]) + Math.Exp(logits[1])));
        Assert.Equal(expectedLoss, output.Loss!.Item(), 4);
    }

    [Theory]
    [InlineData(null, 1, true, BertProblemType.Regression)]
    [InlineData(null, 1, false, BertProblemType.Regression)]
    [InlineData(null, 3, true, BertProblemType.SingleLabelClassification)]
    [InlineData(null, 3, false, BertProblemType.MultiLabelClassification)]
    [InlineData("regression", 3, true, BertProblemType.Regression)]
    [InlineData("multi_label_classification", 3, true, BertProblemType.MultiLabelClassification)]
    [InlineData("single_label_classification", 1, false, BertProblemType.SingleLabelClassification)]
    public void ProblemType_IsInferredAsTransformersDoes(string? configured, int numLabels, bool integerLabels, BertProblemType expected)
    {
        Assert.Equal(expected, BertLosses.InferProblemType(configured, numLabels, integerLabels));
    }

    [Fact]
    public void UnknownProblemType_Throws()
    {
        var error = Assert.Throws<ModelLoadException>(() => BertLosses.InferProblemType("ranking", 3, true));
        Assert.Contains("ranking", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SequenceClassification_RegressionAndMultiLabelLosses()
    {
        var logits = Tensor.FromArray([0.5f, -1f, 2f, 0f, 1f, -0.5f], 2, 3);
        var targets = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 1f], 2, 3);
        var bce = BertLosses.SequenceClassification(logits, BertProblemType.MultiLabelClassification, null, targets).Item();
        var x = logits.ToArray();
        var y = targets.ToArray();
        var manual = Enumerable.Range(0, 6).Average(i => -((y[i] * Math.Log(1 / (1 + Math.Exp(-x[i])))) + ((1 - y[i]) * Math.Log(1 - (1 / (1 + Math.Exp(-x[i])))))));
        Assert.Equal(manual, bce, 5);

        var single = Tensor.FromArray([0.5f, 2f], 2, 1);
        var mse = BertLosses.SequenceClassification(single, BertProblemType.Regression, null, Tensor.FromArray([1f, 1f], 2)).Item();
        Assert.Equal(((0.5 * 0.5) + 1) / 2, mse, 6);
    }

    [Fact]
    public void SingleLabelWithFloatTargets_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BertLosses.SequenceClassification(Tensor.Zeros(2, 3), BertProblemType.SingleLabelClassification, null, Tensor.Zeros(2)));
        Assert.Contains("class ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshModel_IsInitialisedAsTransformers()
    {
        var weights = Weights.Initialize(new Generator(13));
        _ = new BertForSequenceClassification(weights, new BertConfig { VocabSize = 400, HiddenSize = 32, Layers = 1, Heads = 4, IntermediateSize = 64, InitializerRange = 0.1f });
        foreach (var (name, tensor) in weights.Parameters)
        {
            var values = tensor.ToArray();
            if (tensor.Rank == 2)
            {
                var std = Math.Sqrt(values.Average(v => (double)v * v));
                Assert.True(values.Length < 200 || Math.Abs(std - 0.1) < 0.015, $"{name}: std {std}, expected 0.1");
            }
            else
            {
                var expected = name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) ? 1f : 0f;
                Assert.All(values, v => Assert.Equal(expected, v));
            }
        }
    }

    [Fact]
    public void SequenceClassification_OverfitsOneBatch()
    {
        var weights = Weights.Initialize(new Generator(14));
        var model = new BertForSequenceClassification(weights, Config);
        var labels = IntTensor.FromArray([2, 0], 2);
        var optimizer = new AdamW(weights.Parameters.Select(p => p.Value), learningRate: 1e-2, weightDecay: 0);
        float first = 0, last = 0;
        for (var step = 0; step < 50; step++)
        {
            optimizer.ZeroGrad();
            var loss = model.Forward(Ids, Mask, classIds: labels).Loss!;
            loss.Backward();
            optimizer.Step();
            last = loss.Item();
            first = step == 0 ? last : first;
        }

        Assert.True(last < first * 0.1f, $"loss {first} → {last}");
    }

    [Fact]
    public void BadConfig_IsRejected()
    {
        var bad = new BertConfig { HiddenSize = 10, Heads = 4 };
        Assert.Throws<ModelLoadException>(() => new BertModel(Weights.Initialize(new Generator(1)), bad, addPoolingLayer: false));
        var relative = new BertConfig { HiddenSize = 16, Heads = 4, PositionEmbeddingType = "relative_key" };
        Assert.Throws<ModelLoadException>(() => new BertModel(Weights.Initialize(new Generator(1)), relative, addPoolingLayer: false));
    }
}
