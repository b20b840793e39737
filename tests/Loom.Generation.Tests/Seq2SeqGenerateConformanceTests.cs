namespace Loom.Generation.Tests;

/// <summary>
/// Greedy and beam generation of the encoder-decoder fixtures (BART, T5, T5 v1.1) against transformers 4.44.2's
/// generate(): the same strategies as the decoder-only models, driven through Seq2SeqStepDecoder. Token sequences and
/// beam indices identical, per-step scores and sequence scores within tolerance.
/// </summary>
public sealed class Seq2SeqGenerateConformanceTests
{
    // README §6: BART/T5 scores differ from float64 by up to 1.2e-4 (t5); about 1e-3 absolute is the suggested bound.
    private const float StepScoreTolerance = 1e-3f;

    // README §6: beam sequences_scores f32-vs-f64 at most 8.0e-6 (t5).
    private const float SequenceScoreTolerance = 1e-4f;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "bart", "t5", "t5_v1_1" })
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
        var fixture = new Seq2SeqGenerateFixture(model);
        var expected = fixture.Greedy.GetProperty(variant);
        var (decoder, options) = fixture.Settings(fixture.Greedy);

        var result = new CausalGenerator(decoder).Generate(fixture.Prompts(variant), options);

        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("sequences")), result.Sequences);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("generated_only")), result.GeneratedOnly);
        var scores = expected.GetProperty("scores");
        Assert.Equal(HfGenerateFixture.Shape(scores)[0], result.Scores.Count);
        var reference = HfGenerateFixture.Floats(scores);
        var actual = result.Scores.SelectMany(s => s).ToArray();
        Assert.Equal(reference.Length, actual.Length);
        var worst = reference.Zip(actual, (r, a) => Math.Abs(r - a)).Max();
        Assert.True(worst <= StepScoreTolerance, $"{model} {variant}: max |score − HF| = {worst} > {StepScoreTolerance}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BeamSearchMatchesTransformers(string model, string variant)
    {
        var fixture = new Seq2SeqGenerateFixture(model);
        var expected = fixture.Beam.GetProperty(variant);
        var (decoder, options) = fixture.Settings(fixture.Beam);

        var result = new BeamSearch(decoder).Generate(fixture.Prompts(variant), options);

        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("sequences")), result.Sequences);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("beam_indices")), result.BeamIndices);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("generated_only")), result.GeneratedOnly);
        var reference = HfGenerateFixture.Floats(expected.GetProperty("sequences_scores"));
        Assert.Equal(reference.Length, result.SequencesScores.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - result.SequencesScores[i]) <= SequenceScoreTolerance,
                $"{model} {variant} hypothesis {i}: score {result.SequencesScores[i]} vs HF {reference[i]}");
        }
    }
}
