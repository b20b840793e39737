using Loom.Metrics.Classification;

namespace Loom.Metrics.Tests;

/// <summary>Classification metrics on a small example whose values are derived by hand in the comments.</summary>
public class ClassificationMetricsTests
{
    // truth: a a a b b c ; prediction: a a b b c c
    // a: tp 2, predicted 2, support 3 -> P 1, R 2/3, F1 0.8
    // b: tp 1, predicted 2, support 2 -> P 1/2, R 1/2, F1 1/2
    // c: tp 1, predicted 2, support 1 -> P 1/2, R 1, F1 2/3
    private static readonly string[] Truth = ["a", "a", "a", "b", "b", "c"];
    private static readonly string[] Prediction = ["a", "a", "b", "b", "c", "c"];

    [Fact]
    public void PerClassAveragesAndConfusionMatrix()
    {
        var r = ClassificationMetrics.Evaluate(Truth, Prediction);
        Assert.Equal(["a", "b", "c"], r.Labels);
        Assert.Equal(4.0 / 6.0, r.Accuracy, 15);
        Assert.Equal(1.0, r.PerClass[0].Precision);
        Assert.Equal(2.0 / 3.0, r.PerClass[0].Recall, 15);
        Assert.Equal(0.8, r.PerClass[0].F1, 15);
        Assert.Equal(3, r.PerClass[0].Support);
        Assert.Equal(0.5, r.PerClass[1].F1, 15);
        Assert.Equal(2.0 / 3.0, r.PerClass[2].F1, 15);
        Assert.Equal(4.0 / 6.0, r.Micro.F1, 15);
        Assert.Equal((1.0 + 0.5 + 0.5) / 3, r.Macro.Precision, 15);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3.0) / 3, r.Macro.F1, 15);
        Assert.Equal((3 * (2.0 / 3.0) + 2 * 0.5 + 1 * 1.0) / 6, r.Weighted.Recall, 15);
        Assert.Equal(new[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, r.ConfusionMatrix);
    }

    [Fact]
    public void LabelNeverPredictedHasZeroPrecisionNotNaN()
    {
        var r = ClassificationMetrics.Evaluate(["x", "y"], ["x", "x"]);
        Assert.Equal(0.0, r.PerClass[1].Precision);
        Assert.Equal(0.0, r.PerClass[1].F1);
    }

    [Fact]
    public void MismatchedLengthsThrow()
    {
        var e = Assert.Throws<MetricException>(() => ClassificationMetrics.Evaluate(["a"], ["a", "b"]));
        Assert.Contains("1 true labels and 2 predictions", e.Message, StringComparison.Ordinal);
    }
}
