using System.Globalization;

namespace Loom.Training.Tests.Recipes;

/// <summary>Settings the recipe tests share: tiny fine-tuning and pretraining runs, and the check that a bad setting is named.</summary>
internal static class RecipeTestSettings
{
    /// <summary>
    /// A tiny model (1 layer, 2 heads, width 32, rows of 32, batches of 16, learning rate 3e-3 after 2 warm-up steps)
    /// trained <paramref name="steps"/> steps, with the settings of <paramref name="run"/> added (they win).
    /// </summary>
    public static Dictionary<string, string> TinyModel(int steps, Dictionary<string, string> run)
    {
        var settings = new Dictionary<string, string>
        {
            ["layers"] = "1",
            ["heads"] = "2",
            ["width"] = "32",
            ["block_size"] = "32",
            ["batch_size"] = "16",
            ["max_steps"] = steps.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = "3e-3",
            ["warmup_steps"] = "2",
        };
        return With(settings, run);
    }

    /// <summary>
    /// A tiny pretraining run (1 layer, 2 heads, width 16, rows of 16, batches of 4, learning rate 1e-2 to 1e-3 after 2
    /// warm-up steps, 2 evaluation batches every 4 steps, a checkpoint every 3) of <paramref name="steps"/> steps, with the
    /// settings of <paramref name="run"/> added (they win).
    /// </summary>
    public static Dictionary<string, string> TinyPretraining(int steps, Dictionary<string, string> run)
    {
        var settings = new Dictionary<string, string>
        {
            ["layers"] = "1",
            ["heads"] = "2",
            ["width"] = "16",
            ["block_size"] = "16",
            ["batch_size"] = "4",
            ["max_steps"] = steps.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = "1e-2",
            ["min_learning_rate"] = "1e-3",
            ["warmup_steps"] = "2",
            ["eval_every"] = "4",
            ["eval_batches"] = "2",
            ["save_every"] = "3",
            ["log_every"] = "1",
        };
        return With(settings, run);
    }

    /// <summary>
    /// Asserts that <paramref name="fromSettings"/> rejects a text file plus <paramref name="name"/> = <paramref name="value"/>
    /// with an <see cref="ArgumentException"/> whose message starts with <paramref name="message"/>.
    /// </summary>
    public static void AssertRejected(Func<IReadOnlyDictionary<string, string>, object> fromSettings, string name, string value, string message)
    {
        var settings = new Dictionary<string, string> { ["text"] = "input.txt", [name] = value };
        var error = Assert.Throws<ArgumentException>(() => fromSettings(settings));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> settings, Dictionary<string, string> run)
    {
        foreach (var (name, value) in run)
        {
            settings[name] = value;
        }

        return settings;
    }
}
