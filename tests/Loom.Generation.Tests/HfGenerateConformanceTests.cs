namespace Loom.Generation.Tests;

/// <summary>
/// Greedy and beam generation against transformers 4.44.2's generate() on the tiny random decoder fixtures: token
/// sequences and beam indices identical, per-step scores and sequence scores within tolerance.
/// </summary>
public sealed class HfGenerateConformanceTests
{
    // Absolute tolerance on per-step scores (logits up to ~15 in magnitude; float32 forward passes differ from
    // PyTorch's in rounding order). Measured worst case 7.1e-5 (bloom batch), 2.3e-5 or less elsewhere.
    private const float ScoreTolerance = 2e-4f;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "gpt2", "llama", "llama_gqa", "qwen2", "bloom" })
        {
            data.Add(model, "single");
            data.Add(model, "batch");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GreedyMatchesTransformers(string model, string variant)
    {
        var fixture = new HfGenerateFixture(model);
        var expected = fixture.Greedy.GetProperty(variant);
        var result = new CausalGenerator(fixture.Model).Generate(fixture.Prompts(variant), HfGenerateFixture.Options(fixture.Greedy));

        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("sequences")), result.Sequences);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("generated_only")), result.GeneratedOnly);
        var scores = expected.GetProperty("scores");
        var shape = HfGenerateFixture.Shape(scores);
        Assert.Equal(shape[0], result.Scores.Count);
        var reference = HfGenerateFixture.Floats(scores);
        var actual = result.Scores.SelectMany(s => s).ToArray();
        Assert.Equal(reference.Length, actual.Length);
        var worst = reference.Zip(actual, (r, a) => Math.Abs(r - a)).Max();
        Assert.True(worst <= ScoreTolerance, $"{model} {variant}: max |score − HF| = {worst} > {ScoreTolerance}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BeamSearchMatchesTransformers(string model, string variant)
    {
        var fixture = new HfGenerateFixture(model);
        var expected = fixture.Beam.GetProperty(variant);
        var result = new BeamSearch(fixture.Model).Generate(fixture.Prompts(variant), HfGenerateFixture.Options(fixture.Beam));

        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("sequences")), result.Sequences);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("beam_indices")), result.BeamIndices);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("generated_only")), result.GeneratedOnly);
        var reference = HfGenerateFixture.Floats(expected.GetProperty("sequences_scores"));
        Assert.Equal(reference.Length, result.SequencesScores.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - result.SequencesScores[i]) <= 1e-4f,
                $"{model} {variant} hypothesis {i}: score {result.SequencesScores[i]} vs HF {reference[i]}");
        }
    }
}
