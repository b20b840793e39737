using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train pretrain seq2seq` on a tiny BART and a tiny T5: the held-out denoising loss falls, the vocabulary and the
/// model config agree with the objective, a BART run (noise redrawn every batch) resumes bit for bit, and bad settings
/// name themselves.
/// </summary>
public sealed class Seq2SeqPretrainingTests
{
    private static Dictionary<string, string> Settings(string text, string output, string objective, int steps) => RecipeTestSettings.TinyPretraining(steps, new()
    {
        ["task"] = "seq2seq",
        ["objective"] = objective,
        ["text"] = text,
        ["seed"] = "11",
        ["output"] = output,
    });

    private static string WriteText(TempFolder folder)
    {
        var path = folder.Sub("input.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("the cat sat on the mat; a dog ran to the park. ", 40)));
        return path;
    }

    [Fact]
    public void Bart_text_infilling_loss_falls_and_a_resumed_run_matches_bit_for_bit()
    {
        using var folder = new TempFolder();
        var text = WriteText(folder);
        var probe = Seq2SeqPretraining.Create(Seq2SeqPretrainingConfig.FromSettings(Settings(text, folder.Sub("probe"), "bart", 24)));
        Assert.Equal(Seq2SeqPretraining.BartSpecialTokens, probe.Vocabulary.Tokens.Take(5));
        Assert.Equal("BartForConditionalGeneration", probe.Model.Architecture);
        var before = probe.Trainer.Evaluate()["eval_loss"];

        var result = RecipeResume.AssertBitExact(folder, output =>
        {
            var run = Seq2SeqPretraining.Create(Seq2SeqPretrainingConfig.FromSettings(Settings(text, output, "bart", 24)));
            return (run.Trainer, run.Model.Parameters);
        }, crashStep: 7, checkpointStep: 6);

        Assert.True(result.BestMetric < before - 0.5, $"held-out loss {before:F4} → {result.BestMetric:F4}: expected a fall of more than 0.5");
    }

    [Fact]
    public void T5_span_corruption_loss_falls_with_exact_input_lengths_and_sentinels_last()
    {
        using var folder = new TempFolder();
        var run = Seq2SeqPretraining.Create(Seq2SeqPretrainingConfig.FromSettings(Settings(WriteText(folder), folder.Sub("t5"), "t5", 24)));
        Assert.Equal(Seq2SeqPretraining.T5SpecialTokens, run.Vocabulary.Tokens.Take(3));
        Assert.Equal("<extra_id_0>", run.Vocabulary.Tokens[^1]);
        Assert.Equal(0.15, run.Config.NoiseDensity);
        var before = run.Trainer.Evaluate()["eval_loss"];
        var result = run.Trainer.Train();
        Assert.True(result.BestMetric < before - 0.5, $"held-out loss {before:F4} → {result.BestMetric:F4}: expected a fall of more than 0.5");
        Assert.Contains("\"model_type\":\"t5\"", File.ReadAllText(Path.Combine(folder.Sub("t5"), "config.json")).Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("objective", "glm", "Setting 'objective': expected bart or t5; found 'glm'")]
    [InlineData("noise_density", "1.5", "Setting 'noise_density': expected a fraction in (0, 1)")]
    [InlineData("mean_span_length", "short", "Setting 'mean_span_length': 'short' is not a valid Double")]
    [InlineData("task", "mlm", "Setting 'task': this recipe trains 'seq2seq'")]
    [InlineData("mask_probability", "0.2", "Unknown setting 'mask_probability'")]
    public void Bad_settings_are_rejected_with_the_setting_named(string name, string value, string message)
        => RecipeTestSettings.AssertRejected(Seq2SeqPretrainingConfig.FromSettings, name, value, message);
}
