using Loom.Core;
using Loom.Models.Auto;
using Loom.Models.Conformance;

namespace Loom.Models.Tests.Conformance;

/// <summary>The runner fails on a real error, ignores padded positions, and reports missing outputs.</summary>
public sealed class ConformanceRunnerTests
{
    private static readonly string Dir = FixturePaths.Hf("llama");

    [Fact]
    public void AnErrorAtAValidPositionFails()
    {
        // Row 0 is unpadded: position (0, 5) is valid.
        var report = ConformanceRunner.Run(Dir, new Perturbed(AutoModel.LoadFixtureModel(Dir), "logits", row: 0, position: 5, delta: 2e-3f));

        Assert.False(report.Passed);
        Assert.StartsWith("FAIL", report.Summary(), StringComparison.Ordinal);
        var failed = Assert.Single(report.Comparisons, c => !c.Passed && c.Case == "forward");
        Assert.Equal("logits", failed.Output);
        Assert.InRange(failed.MaxAbsoluteError, 1.9e-3, 2.1e-3);
    }

    [Fact]
    public void PaddedPositionsAreNotCompared()
    {
        // Row 1 has 7 tokens and 5 pads: position (1, 9) is padding, its values are meaningless.
        var report = ConformanceRunner.Run(Dir, new Perturbed(AutoModel.LoadFixtureModel(Dir), "logits", row: 1, position: 9, delta: 5f));

        Assert.True(report.Passed, report.Summary());
        Assert.Equal((12 + 7) * 512, report.Comparisons.First(c => c.Case == "forward" && c.Output == "logits").Compared);
        Assert.Equal(2 * 4 * ((12 * 12) + (7 * 7)), report.Comparisons.First(c => c.Output == "attentions").Compared);
    }

    [Fact]
    public void AMissingOutputFails()
    {
        var report = ConformanceRunner.Run(Dir, new Without(AutoModel.LoadFixtureModel(Dir), "attentions"));

        Assert.False(report.Passed);
        Assert.Contains(report.Comparisons, c => c.Output == "attentions" && !c.Passed && c.Note!.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void TolerancesFollowTheReadme()
    {
        Assert.Equal(1e-3, Tolerance.ForModelType("t5").Absolute);
        Assert.Equal(1e-3, Tolerance.ForModelType("bart").Absolute);
        Assert.Equal(1e-4, Tolerance.ForModelType("llama").Absolute);
        Assert.False(Tolerance.Default.Accepts(float.NaN, 0));
        Assert.True(Tolerance.Default.Accepts(10.0009, 10));
        Assert.False(Tolerance.Default.Accepts(10.0012, 10));
    }

    private sealed class Perturbed(IFixtureModel inner, string output, int row, int position, float delta) : IFixtureModel
    {
        public string Architecture => inner.Architecture;

        public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs)
        {
            var results = inner.Run(inputs).ToDictionary();
            var values = results[output].ToArray();
            var shape = results[output].Shape.ToArray();
            var rowLength = shape[1] * shape[2];
            for (var j = 0; j < shape[2]; j++)
            {
                values[(row * rowLength) + (position * shape[2]) + j] += delta;
            }

            results[output] = Tensor.FromArray(values, shape);
            return results;
        }
    }

    private sealed class Without(IFixtureModel inner, string output) : IFixtureModel
    {
        public string Architecture => inner.Architecture;

        public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs) =>
            inner.Run(inputs).Where(p => p.Key != output).ToDictionary();
    }
}
