using System.Text.Json.Nodes;
using Loom.Generation.Conformance;
using Loom.Models.Conformance;

namespace Loom.Generation.Tests;

/// <summary>
/// The generate half of <c>loom conformance</c>: a fixture folder passes every check, and a folder whose reference
/// was altered (one token, one score) fails exactly those checks.
/// </summary>
public sealed class GenerateConformanceTests
{
    [Theory]
    [InlineData("bart")]
    [InlineData("llama_gqa")]
    public void FixtureFolderPassesEveryGenerateCheck(string name)
    {
        var comparisons = GenerateConformance.Run(TestData.Path("hf", name));

        Assert.Equal(14, comparisons.Count); // greedy: 3 checks × 2 inputs; beam: 4 checks × 2 inputs
        Assert.All(comparisons, c => Assert.True(c.Passed && !c.Skipped, $"{c.Case}/{c.Output}: {c.Note}"));
    }

    [Fact]
    public void AlteredReferenceFails()
    {
        var folder = Directory.CreateTempSubdirectory("loom-genconf-");
        try
        {
            var source = TestData.Path("hf", "t5");
            foreach (var file in new[] { "config.json", "generation_config.json", "model.safetensors", "inputs.json", "expected_generate_greedy.json", "expected_generate_beam.json" })
            {
                File.Copy(Path.Combine(source, file), Path.Combine(folder.FullName, file));
            }

            var beamPath = Path.Combine(folder.FullName, "expected_generate_beam.json");
            var beam = JsonNode.Parse(File.ReadAllText(beamPath))!;
            beam["single"]!["sequences"]![0]![3] = 7;
            var score = beam["batch"]!["sequences_scores"]!["data"]![1]!;
            beam["batch"]!["sequences_scores"]!["data"]![1] = score.GetValue<float>() + 0.01f;
            File.WriteAllText(beamPath, beam.ToJsonString());

            var comparisons = GenerateConformance.Run(folder.FullName, Tolerance.ForModelType("t5"));

            var failed = comparisons.Where(c => !c.Passed).Select(c => $"{c.Case}/{c.Output}").ToArray();
            Assert.Equal(["beam/batch/sequences_scores", "beam/single/sequences"], failed.Order());
            Assert.Contains("row 0", comparisons.Single(c => c.Case == "beam/single" && c.Output == "sequences").Note);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void FolderWithoutGenerateFixturesHasNoChecks()
    {
        Assert.False(GenerateConformance.HasFixtures(TestData.Path("hf", "bert_mlm")));
        Assert.Empty(GenerateConformance.Run(TestData.Path("hf", "bert_mlm")));
    }
}
