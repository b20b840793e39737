using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train pretrain mlm` end to end on a tiny BERT: the held-out masked-LM loss falls, and a run killed after a
/// checkpoint, rebuilt from nothing and resumed, ends with the same losses and weights bit for bit as one that never stopped.
/// </summary>
public sealed class MlmPretrainingTests
{
    private const int TotalSteps = 24;

    private sealed class SimulatedCrashException : Exception
    {
    }

    private static MlmPretraining Build(string text, string output) => MlmPretraining.Create(MlmPretrainingConfig.FromSettings(RecipeTestSettings.TinyPretraining(TotalSteps, new()
    {
        ["task"] = "mlm",
        ["text"] = text,
        ["gradient_accumulation"] = "2",
        ["seed"] = "7",
        ["output"] = output,
    })));

    [Fact]
    public void Epochs_count_the_rows_of_the_training_text_and_clm_refuses_them()
    {
        using var folder = new TempFolder();
        var text = folder.Sub("input.txt");
        File.WriteAllText(text, new string('a', 1000)); // 900 training characters: ⌊900 / 14⌋ = 64 rows of block 16 − 2
        var settings = RecipeTestSettings.TinyPretraining(TotalSteps, new() { ["text"] = text, ["epochs"] = "2", ["output"] = folder.Sub("mlm") });
        Assert.Equal(2 * 16, MlmPretraining.Create(MlmPretrainingConfig.FromSettings(settings)).Trainer.MaxSteps); // 2 × ⌈64 / 4⌉

        var error = Assert.Throws<ArgumentException>(() => ClmPretraining.Create(ClmPretrainingConfig.FromSettings(settings)));
        Assert.StartsWith("Setting 'epochs': causal-LM pretraining draws random windows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loss_falls_and_a_resumed_run_matches_the_uninterrupted_run_bit_for_bit()
    {
        using var folder = new TempFolder();
        var text = folder.Sub("input.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the cat sat on the mat; a dog ran to the park. ", 40)));

        var straight = Build(text, folder.Sub("straight"));
        var before = straight.Trainer.Evaluate()["eval_loss"];
        var expected = straight.Trainer.Train();
        Assert.Equal(TotalSteps, expected.Losses.Count);
        Assert.True(expected.BestMetric < before - 0.3, $"held-out loss {before:F4} → {expected.BestMetric:F4}: expected a fall of more than 0.3");

        var first = Build(text, folder.Sub("resumed"));
        first.Trainer.Progress = new CrashAt(7);
        Assert.Throws<SimulatedCrashException>(() => first.Trainer.Train());

        var second = Build(text, folder.Sub("resumed"));
        Assert.Equal(6, second.Trainer.Resume(folder.Sub("resumed")));
        var resumed = second.Trainer.Train();

        Assert.Equal(expected.Losses.Skip(6), resumed.Losses);
        Assert.Equal(expected.BestMetric, resumed.BestMetric);
        var (want, got) = (straight.Model.Parameters, second.Model.Parameters);
        Assert.Equal(want.Select(p => p.Key), got.Select(p => p.Key));
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Value.ToArray(), got[i].Value.ToArray()); // exact float equality
        }
    }

    [Theory]
    [InlineData("task", "clm", "Setting 'task': this recipe trains 'mlm'")]
    [InlineData("mask_probabilty", "0.2", "Unknown setting 'mask_probabilty'")]
    [InlineData("mask_probability", "lots", "Setting 'mask_probability': 'lots' is not a valid Double")]
    [InlineData("mask_probability", "0", "Setting 'mask_probability': expected a probability in (0, 1]")]
    [InlineData("block_size", "2", "Setting 'block_size': expected ≥ 3")]
    public void Bad_settings_are_rejected_with_the_setting_named(string name, string value, string message)
        => RecipeTestSettings.AssertRejected(MlmPretrainingConfig.FromSettings, name, value, message);

    private sealed class CrashAt(int step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                throw new SimulatedCrashException();
            }
        }
    }
}
