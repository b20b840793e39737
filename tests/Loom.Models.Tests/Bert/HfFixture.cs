// Shared checks for the encoder / encoder-decoder families against the Hugging Face fixtures copied from
// shared/fixtures/hf into tests/testdata/hf (README.md there: provenance, schema, tolerances).
using System.Runtime.CompilerServices;
using System.Text.Json;
using Loom.Core;
using Loom.Models.Conformance;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Bert;

/// <summary>Locates fixture folders and asserts conformance, state-dict coverage and corrupt-checkpoint errors.</summary>
internal static class HfFixture
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, SourceFolder() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "testdata", "hf");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/hf not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The folder of fixture <paramref name="name"/> (e.g. <c>bert_mlm</c>).</summary>
    public static string Dir(string name) => Path.Combine(Root.Value, name);

    /// <summary>
    /// Runs every forward/loss output of the fixture through <paramref name="model"/> with the README's tolerance for
    /// its model type and asserts that each expected output was produced and is within tolerance at valid positions.
    /// </summary>
    public static ConformanceReport AssertConforms(string name, IFixtureModel model, ITestOutputHelper output)
    {
        var report = ConformanceRunner.Run(Dir(name), model);
        foreach (var c in report.Comparisons)
        {
            output.WriteLine($"{c.Case}/{c.Output}: compared {c.Compared}, max abs {c.MaxAbsoluteError:g3}, max rel {c.MaxRelativeError:g3} {c.Note}");
        }

        var expectedOutputs = CountExpectedOutputs(name);
        Assert.Equal(expectedOutputs, report.Comparisons.Count(c => !c.Skipped));
        Assert.All(report.Comparisons, c => Assert.True(c.Passed && !c.Skipped, $"{c.Case}/{c.Output}: {c.Note} (max abs {c.MaxAbsoluteError:g3})"));
        Assert.True(report.Passed, report.Summary());
        return report;
    }

    /// <summary>
    /// The model's parameters plus its tied keys equal fixture.json's state_dict: the same keys with the same shapes,
    /// hence the same parameter count.
    /// </summary>
    public static void AssertStateDict(string name, IReadOnlyList<KeyValuePair<string, Tensor>> parameters, IReadOnlyDictionary<string, string> tied)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(name), "fixture.json")));
        var expected = document.RootElement.GetProperty("state_dict").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(",", p.Value.EnumerateArray().Select(d => d.GetInt32())));
        var byName = parameters.ToDictionary(p => p.Key, p => p.Value);
        var actual = new Dictionary<string, string>();
        foreach (var (key, tensor) in parameters)
        {
            actual[key] = string.Join(",", tensor.Shape);
        }

        foreach (var (key, source) in tied)
        {
            Assert.True(byName.ContainsKey(source), $"tied key {key} points to {source}, which the model does not have");
            actual[key] = string.Join(",", byName[source].Shape);
        }

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        long Count(IEnumerable<string> shapes) => shapes.Sum(s => s.Split(',').Aggregate(1L, (a, d) => a * long.Parse(d, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Count(expected.Values), Count(actual.Values));
    }

    /// <summary>
    /// Writes a copy of fixture <paramref name="name"/> whose checkpoint holds <paramref name="parameters"/> after
    /// <paramref name="edit"/>, and returns the new folder (a fresh temporary directory).
    /// </summary>
    public static string WriteVariant(string name, IReadOnlyList<KeyValuePair<string, Tensor>> parameters,
        Func<IEnumerable<KeyValuePair<string, Tensor>>, IEnumerable<KeyValuePair<string, Tensor>>> edit)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"loom-menc-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(Dir(name), "config.json"), Path.Combine(dir, "config.json"));
        StateDict.Save(edit(parameters), Path.Combine(dir, "model.safetensors"));
        return dir;
    }

    private static int CountExpectedOutputs(string name)
    {
        var count = 0;
        foreach (var file in new[] { "expected_forward.json", "expected_loss.json" })
        {
            var path = Path.Combine(Dir(name), file);
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                count += document.RootElement.EnumerateObject().Count();
            }
        }

        return count;
    }

    private static string SourceFolder([CallerFilePath] string sourceFile = "") =>
        Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();
}
