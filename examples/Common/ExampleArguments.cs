using System.Globalization;

namespace Loom.Examples;

/// <summary>
/// The <c>--name value</c> options of an example program. Unknown names, a missing value or a value that is not a
/// positive whole number where one is expected raise <see cref="ArgumentException"/> with a message saying which.
/// </summary>
public sealed class ExampleArguments
{
    private readonly Dictionary<string, string> _values;

    private ExampleArguments(Dictionary<string, string> values) => _values = values;

    /// <summary>Reads <paramref name="args"/>, accepting only the option names in <paramref name="known"/> (with their dashes).</summary>
    public static ExampleArguments Parse(IReadOnlyList<string> args, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!known.Contains(args[i]))
            {
                throw new ArgumentException($"unknown option '{args[i]}'; expected one of {string.Join(", ", known)}.", nameof(args));
            }

            if (i + 1 == args.Count)
            {
                throw new ArgumentException($"option '{args[i]}' needs a value.", nameof(args));
            }

            values[args[i]] = args[i + 1];
        }

        return new ExampleArguments(values);
    }

    /// <summary>The positive whole number given for <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"option '{name}' expects a positive whole number; found '{text}'.", name);

    /// <summary>The number (0 or more) given for <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Number(string name, double fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value) ? value
        : throw new ArgumentException($"option '{name}' expects a number of 0 or more; found '{text}'.", name);

    /// <summary>The text given for <paramref name="name"/>, or null.</summary>
    public string? Text(string name) => _values.GetValueOrDefault(name);
}
