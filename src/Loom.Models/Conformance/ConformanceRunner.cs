// The generic fixture runner behind `loom conformance DIR` and the model test suites: loads a Hugging Face fixture
// folder (shared/fixtures/hf/README.md), runs its "forward" and "loss" inputs and compares every output of
// expected_forward.json / expected_loss.json at valid positions.
using System.Text.Json;
using Loom.Core;
using Loom.Models.Auto;

namespace Loom.Models.Conformance;

/// <summary>Runs fixture folders and compares outputs with the Hugging Face references.</summary>
public static class ConformanceRunner
{
    private static readonly (string Case, string File)[] Cases = [("forward", "expected_forward.json"), ("loss", "expected_loss.json")];

    /// <summary>Loads the model with <see cref="AutoModel"/> and runs the folder; tolerance defaults to the README's for its model type.</summary>
    public static ConformanceReport Run(string dir, Tolerance? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        return Run(dir, AutoModel.LoadFixtureModel(dir), tolerance);
    }

    /// <summary>Runs the folder through an already loaded <paramref name="model"/>.</summary>
    public static ConformanceReport Run(string dir, IFixtureModel model, Tolerance? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(model);
        var config = AutoConfig.Load(dir);
        tolerance ??= Tolerance.ForModelType(config.ModelType);
        var comparisons = new List<OutputComparison>();
        foreach (var (caseName, file) in Cases)
        {
            var expectedPath = Path.Combine(dir, file);
            if (!File.Exists(expectedPath))
            {
                continue;
            }

            var inputs = FixtureJson.ReadInputs(Path.Combine(dir, "inputs.json"), caseName);
            var expected = FixtureJson.ReadExpectedFile(expectedPath);
            var encoderDecoder = config.IsEncoderDecoder || inputs.ContainsKey("decoder_input_ids");
            var valid = new ValidPositions(inputs, encoderDecoder);
            var actual = model.Run(inputs);
            foreach (var (name, value) in expected)
            {
                comparisons.Add(Compare(caseName, name, value, actual.GetValueOrDefault(name), valid, tolerance));
            }
        }

        return new ConformanceReport(dir, model.Architecture, tolerance, comparisons);
    }

    private static OutputComparison Compare(string caseName, string name, ExpectedValue expected, Tensor? actual, ValidPositions valid, Tolerance tolerance)
    {
        if (expected.Floats is null)
        {
            // Integer sequences (derived_decoder_input_ids) are compared only when the model reports them.
            var ints = expected.Integers!;
            if (actual is null)
            {
                return new OutputComparison(caseName, name, ints.Shape, 0, 0, 0, Passed: true, Skipped: true, "integer sequence not produced by the model");
            }

            var same = actual.Shape.SequenceEqual(ints.Shape) && actual.ToArray().Zip(ints.ToArray()).All(p => p.First == p.Second);
            return new OutputComparison(caseName, name, ints.Shape, ints.Count, same ? 0 : double.NaN, same ? 0 : double.NaN, same, false, same ? null : "integer sequences differ");
        }

        var reference = expected.Floats;
        if (actual is null)
        {
            return new OutputComparison(caseName, name, reference.Shape, 0, double.NaN, double.NaN, false, false, "output missing from the model's results");
        }

        if (!actual.Shape.SequenceEqual(reference.Shape))
        {
            return new OutputComparison(caseName, name, reference.Shape, 0, double.NaN, double.NaN, false, false,
                $"shape differs: expected [{string.Join(", ", reference.Shape)}], found [{string.Join(", ", actual.Shape)}]");
        }

        var mask = valid.For(name, reference.Shape);
        var a = actual.ToArray();
        var e = reference.ToArray();
        double maxAbs = 0, maxRel = 0;
        int compared = 0, outside = 0;
        for (var i = 0; i < e.Length; i++)
        {
            if (mask is not null && !mask[i])
            {
                continue;
            }

            compared++;
            var error = Math.Abs((double)a[i] - e[i]);
            if (!tolerance.Accepts(a[i], e[i]))
            {
                outside++;
            }

            maxAbs = Math.Max(maxAbs, error); // NaN propagates
            if (Math.Abs(e[i]) >= tolerance.Absolute)
            {
                maxRel = Math.Max(maxRel, error / Math.Abs(e[i]));
            }
        }

        return new OutputComparison(caseName, name, reference.Shape, compared, maxAbs, maxRel, outside == 0 && compared > 0, false,
            outside == 0 ? null : $"{outside} of {compared} elements outside tolerance");
    }
}
