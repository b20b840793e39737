using Loom.Kernels;
using Loom.Training.Recipes;

namespace Loom.Training.Tests.Recipes;

/// <summary>Settings of `loom train` clm: defaults, overrides and typed errors naming the setting.</summary>
public sealed class ClmPretrainingConfigTests
{
    [Fact]
    public void Defaults_are_the_nanogpt_cpu_recipe_and_settings_override_them()
    {
        var config = ClmPretrainingConfig.FromSettings(new Dictionary<string, string>
        {
            ["text"] = "input.txt",
            ["max_steps"] = "500",
            ["learning_rate"] = "3e-4",
            ["min_learning_rate"] = "3e-5",
            ["schedule"] = "Linear",
        });
        Assert.Equal((4, 4, 128, 64, 12), (config.Layers, config.Heads, config.Width, config.BlockSize, config.BatchSize));
        Assert.Equal((500, 3e-4, 3e-5, ScheduleKind.Linear), (config.MaxSteps, config.LearningRate, config.MinLearningRate, config.Schedule));
    }

    [Fact]
    public void Precision_and_loss_scale_reach_the_trainer_options()
    {
        var plain = ClmPretrainingConfig.FromSettings(new Dictionary<string, string> { ["text"] = "input.txt" }).ToTrainerOptions();
        Assert.Equal((GemmPrecision.Float32, null), (plain.Precision, plain.LossScaling));
        var mixed = ClmPretrainingConfig.FromSettings(new Dictionary<string, string>
        {
            ["text"] = "input.txt",
            ["precision"] = "bf16",
            ["loss_scale"] = "65536",
        }).ToTrainerOptions();
        Assert.Equal(GemmPrecision.BFloat16, mixed.Precision);
        Assert.Equal(new LossScalingOptions { InitialScale = 65536f }, mixed.LossScaling);
    }

    [Theory]
    [InlineData("precision", "fp16", "Setting 'precision': expected f32 or bf16; found 'fp16'")]
    [InlineData("loss_scale", "-1", "Setting 'loss_scale': expected ≥ 0 (0: no loss scaling); found -1")]
    [InlineData("block_sise", "64", "Unknown setting 'block_sise'")]
    [InlineData("layers", "four", "Setting 'layers': 'four' is not a valid Int32")]
    [InlineData("width", "130", "Setting 'width': expected a positive multiple of heads (4); found 130")]
    [InlineData("schedule", "1", "Setting 'schedule': expected constant, linear or cosine; found '1'")]
    [InlineData("task", "mlm", "Setting 'task': this recipe trains 'clm'")]
    public void Bad_settings_are_rejected_with_the_setting_named(string name, string value, string message)
        => RecipeTestSettings.AssertRejected(ClmPretrainingConfig.FromSettings, name, value, message);
}
