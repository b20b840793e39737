using System.Text.Json.Nodes;
using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>
/// Every public case of the reference fixtures (rouge-score 0.1.2, nltk Porter, SQuAD v1.1, CMRC 2018 v6,
/// seqeval 1.2.2, rank_bm25 HEAD and 0.2.2) run through <see cref="MetricCases"/>.
/// </summary>
public class FixtureCaseTests
{
    public static TheoryData<string, string> Cases => FixtureFiles.CaseIds(
        "rouge_score", "nltk_porter_stemmer", "squad_v1", "cmrc2018", "seqeval", "rank_bm25", "rank_bm25_pypi_0.2.2");

    [Theory]
    [MemberData(nameof(Cases))]
    public void CaseMatchesReference(string file, string id)
    {
        var document = FixtureFiles.Load(file);
        var fixture = FixtureFiles.Case(file, id);
        var metric = (string)document["metric"]!;
        var parameters = fixture["params"]?.AsObject() ?? [];
        var inputs = fixture["inputs"]!.AsObject();
        var expected = fixture["expected"]!.AsObject();
        if (expected.ContainsKey("error"))
        {
            Assert.ThrowsAny<MetricException>(() => MetricCases.Run(metric, parameters, inputs));
            return;
        }

        var actual = MetricCases.Run(metric, parameters, inputs);
        var differences = FixtureComparer.Compare(expected, actual);
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
    }

    public static TheoryData<string> FixtureFileNames()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata", "metrics"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    /// <summary>The path of <c>loom eval --cases</c>: every case of every fixture file through <see cref="MetricCases.RunAll"/>.</summary>
    [Theory]
    [MemberData(nameof(FixtureFileNames))]
    public void RunAllMatchesEveryCaseOfTheFile(string file)
    {
        var document = FixtureFiles.Load(file);
        var cases = document["cases"]!.AsArray();
        var lines = MetricCases.RunAll(document).ToList();
        Assert.Equal(cases.Count, lines.Count);
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = cases[i]!["expected"]!.AsObject();
            var line = lines[i];
            Assert.Equal((string)cases[i]!["id"]!, (string)line["id"]!);
            if (expected.ContainsKey("error") != line.ContainsKey("error"))
            {
                failures.Add($"{line["id"]}: expected {(expected.ContainsKey("error") ? "an error" : "a result")}, found {line.ToJsonString()[..Math.Min(200, line.ToJsonString().Length)]}");
            }
            else if (!expected.ContainsKey("error"))
            {
                failures.AddRange(FixtureComparer.Compare(expected, line["result"]).Select(d => $"{line["id"]}: {d}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void RegistryCoversEveryFixtureFile()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata", "metrics"), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var metric = (string)FixtureFiles.Load(Path.GetFileNameWithoutExtension(file))["metric"]!;
            Assert.Contains(metric, MetricCases.Metrics);
        }
    }

    [Fact]
    public void MalformedCasesBecomeErrorLines()
    {
        var document = JsonNode.Parse("""
            {"metric": "squad_v1", "cases": [
              {"id": "wrong-kind", "params": {"kind": "pair"}, "inputs": {"prediction": 5, "ground_truths": ["x"]}},
              {"id": "no-answers", "params": {"kind": "pair"}, "inputs": {"prediction": "x", "ground_truths": []}},
              {"id": "fine", "inputs": {"prediction": "The x", "ground_truths": ["x"]}}]}
            """)!.AsObject();
        var lines = MetricCases.RunAll(document).ToList();
        Assert.Contains("expected a string", (string)lines[0]["error"]!, StringComparison.Ordinal);
        Assert.Contains("at least one ground-truth answer", (string)lines[1]["error"]!, StringComparison.Ordinal);
        Assert.Equal(1.0, (double)lines[2]["result"]!["exact_match"]!);
    }

    [Fact]
    public void UnknownMetricThrows()
    {
        var e = Assert.Throws<MetricException>(() => MetricCases.Run("no_such_metric", [], []));
        Assert.Contains("no_such_metric", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAllReportsErrorsPerCase()
    {
        var document = FixtureFiles.Load("seqeval");
        var lines = MetricCases.RunAll(document).ToList();
        Assert.Equal(document["cases"]!.AsArray().Count, lines.Count);
        var errorIds = document["cases"]!.AsArray().Where(c => c!["expected"]!["error"] is not null).Select(c => (string)c!["id"]!).ToHashSet();
        Assert.NotEmpty(errorIds);
        foreach (var line in lines)
        {
            Assert.Equal(errorIds.Contains((string)line["id"]!), line.ContainsKey("error"));
        }
    }
}
