using Loom.Models.Auto;

namespace Loom.Generation.Tests;

/// <summary>
/// Greedy and beam generation against transformers 4.44.2's generate() on the tiny random fixtures of every family,
/// decoder-only and encoder-decoder alike (StepDecoders picks the side of the model, HfGenerationConfig reads the
/// fixture's generation_config): token sequences and beam indices identical, per-step and sequence scores within
/// tolerance.
/// </summary>
public sealed class HfGenerateConformanceTests
{
    // Absolute tolerance on per-step scores. Decoder-only (logits up to ~15): float32 passes differ from PyTorch's in
    // rounding order, measured worst 7.1e-5 (bloom batch). BART/T5: README §6 reports float32-vs-float64 differences up
    // to 1.2e-4 (t5) and suggests about 1e-3; measured worst 5.4e-4 (bart single).
    private const float DecoderOnlyStepScoreTolerance = 2e-4f;
    private const float EncoderDecoderStepScoreTolerance = 1e-3f;

    // README §6: beam sequences_scores float32-vs-float64 at most 8.0e-6 (t5).
    private const float SequenceScoreTolerance = 1e-4f;

    private static readonly Dictionary<string, IStepDecoder> Decoders = [];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "gpt2", "llama", "llama_gqa", "qwen2", "bloom", "bart", "t5", "t5_v1_1" })
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
        var (decoder, options) = Settings(fixture, fixture.Greedy);

        var result = new TextGenerator(decoder).Generate(fixture.Prompts(variant), options);

        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("sequences")), result.Sequences);
        Assert.Equal(HfGenerateFixture.IntRows(expected.GetProperty("generated_only")), result.GeneratedOnly);
        var scores = expected.GetProperty("scores");
        Assert.Equal(HfGenerateFixture.Shape(scores)[0], result.Scores.Count);
        var reference = HfGenerateFixture.Floats(scores);
        var actual = result.Scores.SelectMany(s => s).ToArray();
        Assert.Equal(reference.Length, actual.Length);
        var tolerance = decoder is Seq2SeqStepDecoder ? EncoderDecoderStepScoreTolerance : DecoderOnlyStepScoreTolerance;
        var worst = reference.Zip(actual, (r, a) => Math.Abs(r - a)).Max();
        Assert.True(worst <= tolerance, $"{model} {variant}: max |score − HF| = {worst} > {tolerance}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BeamSearchMatchesTransformers(string model, string variant)
    {
        var fixture = new HfGenerateFixture(model);
        var expected = fixture.Beam.GetProperty(variant);
        var (decoder, options) = Settings(fixture, fixture.Beam);

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

    /// <summary>The folder's step decoder (loaded once per model) and the options of one expected file.</summary>
    private static (IStepDecoder Decoder, GenerationOptions Options) Settings(HfGenerateFixture fixture, System.Text.Json.JsonElement expected)
    {
        var config = HfGenerationConfig.Parse(expected.GetProperty("generation_config"));
        IStepDecoder decoder;
        lock (Decoders)
        {
            if (!Decoders.TryGetValue(fixture.Name, out decoder!))
            {
                decoder = StepDecoders.Load(fixture.Folder, config.DecoderStartTokenId);
                Decoders.Add(fixture.Name, decoder);
            }
        }

        return (decoder, config.Options);
    }
}
