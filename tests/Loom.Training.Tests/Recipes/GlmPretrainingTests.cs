using Loom.Core;
using Loom.Models.Glm;
using Loom.Nn;
using Loom.Training.Objectives;
using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train pretrain glm` on a tiny GLM: a model memorises one blank-infilling batch, the held-out loss of the recipe
/// falls, a run (spans redrawn every batch) resumes bit for bit, the vocabulary and config.json are GLM's, and bad
/// settings name themselves.
/// </summary>
public sealed class GlmPretrainingTests
{
    private const string Sentence = "the cat sat on the mat; a dog ran to the park. ";

    private static Dictionary<string, string> Settings(string text, string output, int steps) => RecipeTestSettings.TinyPretraining(steps, new()
    {
        ["task"] = "glm",
        ["text"] = text,
        ["seed"] = "5",
        ["output"] = output,
    });

    private static string WriteText(TempFolder folder)
    {
        var path = folder.Sub("input.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(Sentence, 40)));
        return path;
    }

    [Fact]
    public void A_tiny_glm_memorises_one_collated_batch()
    {
        var collator = new GlmBlankInfillingCollator(maskId: 1, startOfPieceId: 2, endOfPieceId: 3, padId: 0, new Generator(4), maskRatio: 0.3);
        var rows = Enumerable.Range(0, 4).Select(r => Sentence.Skip(r * 5).Take(24).Select(c => 4 + (c % 28)).ToArray()).ToList();
        var batch = collator.Collate(rows);
        Assert.Contains(0, batch.AttentionMask.ToArray()); // rows of different lengths: padding is exercised
        var weights = Weights.Initialize(new Generator(9));
        var model = new GlmModel(weights, new GlmConfig { VocabSize = 32, HiddenSize = 32, Layers = 2, Heads = 2, MaxSequenceLength = 32 });
        var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 1e-2, weightDecay: 0.0);
        var first = GlmPretraining.Loss(model, batch).Item();
        var loss = first;
        for (var step = 0; step < 150; step++)
        {
            optimizer.ZeroGrad();
            var output = GlmPretraining.Loss(model, batch);
            output.Backward();
            optimizer.Step();
            loss = output.Item();
        }

        Assert.True(first > 2.5f && loss < 0.05f, $"loss {first:F4} → {loss:F4}: expected from above 2.5 to below 0.05");
    }

    [Fact]
    public void Loss_falls_and_a_resumed_run_matches_bit_for_bit()
    {
        using var folder = new TempFolder();
        var text = WriteText(folder);
        var probe = GlmPretraining.Create(GlmPretrainingConfig.FromSettings(Settings(text, folder.Sub("probe"), 24)));
        Assert.Equal(GlmPretraining.SpecialTokens, probe.Vocabulary.Tokens.Take(5));
        Assert.Equal(18, probe.Model.Config.MaxSequenceLength);
        Assert.Contains("\"model_type\": \"glm\"", File.ReadAllText(Path.Combine(folder.Sub("probe"), "config.json")), StringComparison.Ordinal);
        var before = probe.Trainer.Evaluate()["eval_loss"];

        var result = RecipeResume.AssertBitExact(folder, output =>
        {
            var run = GlmPretraining.Create(GlmPretrainingConfig.FromSettings(Settings(text, output, 24)));
            return (run.Trainer, run.Model.Parameters);
        }, crashStep: 7, checkpointStep: 6);

        Assert.True(result.BestMetric < before - 0.5, $"held-out loss {before:F4} → {result.BestMetric:F4}: expected a fall of more than 0.5");
    }

    [Theory]
    [InlineData("task", "mlm", "Setting 'task': this recipe trains 'glm'")]
    [InlineData("mask_ratio", "1", "Setting 'mask_ratio': expected a fraction in (0, 1)")]
    [InlineData("mean_span_length", "0", "Setting 'mean_span_length': expected > 0")]
    [InlineData("block_size", "3", "Setting 'block_size': expected block_size × mask_ratio to round to at least one blanked character")]
    [InlineData("noise_density", "0.2", "Unknown setting 'noise_density'")]
    public void Bad_settings_are_rejected_with_the_setting_named(string name, string value, string message)
        => RecipeTestSettings.AssertRejected(GlmPretrainingConfig.FromSettings, name, value, message);
}
