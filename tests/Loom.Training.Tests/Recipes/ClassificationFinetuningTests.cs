using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train finetune classification` on the tiny in-repo review set (examples/TrainRecipes/data): a fresh tiny BERT
/// learns it, a `loom train pretrain mlm` folder is picked up (encoder loaded, head fresh), resume is exact, and bad
/// settings name themselves.
/// </summary>
public sealed class ClassificationFinetuningTests
{
    private static Dictionary<string, string> Settings(string output, int steps) => RecipeTestSettings.TinyModel(steps, new()
    {
        ["task"] = "finetune-classification",
        ["train"] = RecipeData.Path("sentiment_train.csv"),
        ["validation"] = RecipeData.Path("sentiment_dev.csv"),
        ["text_field"] = "review",
        ["eval_every"] = "5",
        ["save_every"] = "4",
        ["log_every"] = "1",
        ["seed"] = "3",
        ["output"] = output,
    });

    private static ClassificationFinetuning Build(Dictionary<string, string> settings) =>
        ClassificationFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.Classification, settings));

    [Fact]
    public void A_fresh_tiny_bert_learns_the_reviews_and_resumes_bit_for_bit()
    {
        using var folder = new TempFolder();
        var probe = Build(Settings(folder.Sub("probe"), 30));
        Assert.Equal(["0", "1"], probe.Labels);
        Assert.Equal((96, 32), (probe.TrainExamples, probe.ValidationExamples));
        var before = probe.Trainer.Evaluate();

        var result = RecipeResume.AssertBitExact(folder, output =>
        {
            var run = Build(Settings(output, 30));
            return (run.Trainer, run.Parameters);
        }, crashStep: 9, checkpointStep: 8);

        Assert.True(result.BestMetric >= 0.9, $"best validation accuracy {result.BestMetric:F3}: expected ≥ 0.9 (chance 0.5; before training {before["accuracy"]:F3})");
        var log = File.ReadAllText(Path.Combine(folder.Sub("straight"), "log.jsonl"));
        Assert.Contains("\"accuracy\"", log, StringComparison.Ordinal);
        Assert.Contains("\"f1\"", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Sub("straight"), "config.json")) && File.Exists(Path.Combine(folder.Sub("straight"), "vocab.json")));
    }

    [Fact]
    public void Epochs_replace_max_steps_and_the_linear_schedule_spans_the_whole_run()
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.Sub("epochs"), 1000);
        (settings["epochs"], settings["batch_size"], settings["gradient_accumulation"]) = ("1.5", "10", "2");
        var run = Build(settings);
        Assert.Equal(96, run.TrainExamples);
        Assert.Equal(8, run.Trainer.MaxSteps); // ⌈1.5 · ⌈96 / 10⌉ / 2⌉ = ⌈7.5⌉, not max_steps
        var rates = new List<double>();
        run.Trainer.Progress = new RateRecorder(rates);
        Assert.Equal(8, run.Trainer.Train().Step);
        Assert.Equal(3e-3, rates.Max(), 9); // warmup of 2 reached the peak …
        Assert.Equal(3e-3 / 6, rates[^1], 12); // … and get_linear_schedule_with_warmup(2, 8) at step 7: (8 − 7) / (8 − 2)
    }

    [Fact]
    public void A_pretrain_mlm_output_folder_gives_the_encoder_and_only_the_head_starts_fresh()
    {
        using var folder = new TempFolder();
        var text = folder.Sub("reviews.txt");
        File.WriteAllText(text, string.Concat(File.ReadLines(RecipeData.Path("sentiment_train.csv")).Skip(1).Select(l => l[2..])));
        var pretraining = MlmPretraining.Create(MlmPretrainingConfig.FromSettings(new Dictionary<string, string>
        {
            ["text"] = text,
            ["layers"] = "1",
            ["heads"] = "2",
            ["width"] = "32",
            ["block_size"] = "32",
            ["batch_size"] = "4",
            ["max_steps"] = "2",
            ["warmup_steps"] = "0",
            ["eval_every"] = "1",
            ["eval_batches"] = "1",
            ["output"] = folder.Sub("mlm"),
        }));
        pretraining.Trainer.Train();

        var settings = Settings(folder.Sub("finetune"), 2);
        settings["model"] = folder.Sub("mlm");
        var run = Build(settings);

        Assert.Equal(["bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"], run.FreshParameters);
        var pretrained = pretraining.Model.Parameters.ToDictionary(p => p.Key, p => p.Value.ToArray());
        foreach (var (name, tensor) in run.Parameters.Where(p => !run.FreshParameters.Contains(p.Key)))
        {
            Assert.Equal(pretrained[name], tensor.ToArray());
        }
    }

    [Theory]
    [InlineData("task", "finetune-qa", "Setting 'task': this recipe trains 'finetune-classification'")]
    [InlineData("text", "x.txt", "Unknown setting 'text'")]
    [InlineData("text_field", "comment", "comment")]
    [InlineData("model", "no-such-folder", "Setting 'model': 'no-such-folder' is not a folder")]
    [InlineData("block_size", "2", "Setting 'block_size': expected ≥ 3")]
    public void Bad_settings_are_rejected_with_the_setting_named(string name, string value, string message)
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.Sub("out"), 2);
        settings[name] = value;
        var error = Assert.ThrowsAny<Exception>(() => Build(settings));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private sealed class RateRecorder(List<double> rates) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => rates.Add(value.LearningRate);
    }
}
