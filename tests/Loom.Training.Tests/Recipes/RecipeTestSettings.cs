using System.Globalization;

namespace Loom.Training.Tests.Recipes;

/// <summary>Settings the recipe tests share: a tiny fine-tuning model and the check that a bad setting is named.</summary>
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
        foreach (var (name, value) in run)
        {
            settings[name] = value;
        }

        return settings;
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
}
