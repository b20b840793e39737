// Reading the settings of a `loom train` recipe (name → text, from a config file or command-line flags): every recipe
// rejects unknown names and unparsable values the same way, with an ArgumentException naming the setting.
using System.Globalization;

namespace Loom.Training.Recipes;

/// <summary>Typed access to recipe settings given as text.</summary>
public static class RecipeSettings
{
    /// <summary>Throws <see cref="ArgumentException"/> listing every name of <paramref name="settings"/> outside <paramref name="names"/>.</summary>
    public static void RejectUnknown(IReadOnlyDictionary<string, string> settings, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(names);
        var unknown = settings.Keys.Where(k => !names.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown setting{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown.Select(k => $"'{k}'"))}; expected one of {string.Join(", ", names)}.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a 'task' setting names another task than <paramref name="accepted"/>.</summary>
    public static void RequireTask(IReadOnlyDictionary<string, string> settings, string description, params string[] accepted)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TryGetValue("task", out var task) && !accepted.Contains(task))
        {
            throw new ArgumentException($"Setting 'task': this recipe trains '{accepted[0]}' ({description}); found '{task}'.");
        }
    }

    /// <summary>The text of setting <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static string Text(IReadOnlyDictionary<string, string> settings, string name, string fallback)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TryGetValue(name, out var value) ? value : fallback;
    }

    /// <summary>Setting <paramref name="name"/> parsed with the invariant culture, or <paramref name="fallback"/>.</summary>
    public static T Number<T>(IReadOnlyDictionary<string, string> settings, string name, T fallback)
        where T : IParsable<T>
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
            : throw new ArgumentException($"Setting '{name}': '{text}' is not a valid {typeof(T).Name}.");
    }

    /// <summary>Setting <paramref name="name"/> as a member of <typeparamref name="TEnum"/> by name (any case), or <paramref name="fallback"/>.</summary>
    public static TEnum Choice<TEnum>(IReadOnlyDictionary<string, string> settings, string name, TEnum fallback)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.TryGetValue(name, out var text))
        {
            return fallback;
        }

        var choices = Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
        return Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _) ? value
            : throw new ArgumentException($"Setting '{name}': expected {string.Join(", ", choices.SkipLast(1))} or {choices[^1]}; found '{text}'.");
    }
}
