using System.Globalization;
using System.Text;
using Loom.Formats.Gguf;

namespace Loom.Formats.Tests;

/// <summary>
/// Formats GGUF metadata values the way the fixture maintainers' dump (<c>*.kv.txt</c>) prints them with Python:
/// repr() of strings, True/False, Python floats, and arrays as <c>[array len=N] [first six]</c>.
/// </summary>
internal static class PythonRepr
{
    public static string Format(GgufValue value) => value.Type switch
    {
        GgufValueType.Array => $"[array len={value.ArrayLength}] [{string.Join(", ", Elements(value).Take(6))}]",
        _ => Scalar(value),
    };

    private static IEnumerable<string> Elements(GgufValue value) => value.ElementType switch
    {
        GgufValueType.String => value.AsStrings().Select(String),
        GgufValueType.Float32 => value.AsArray<float>().Select(f => Float(f)),
        GgufValueType.Float64 => value.AsArray<double>().Select(Float),
        GgufValueType.Bool => value.AsArray<bool>().Select(b => b ? "True" : "False"),
        GgufValueType.Int32 => value.AsArray<int>().Select(i => i.ToString(CultureInfo.InvariantCulture)),
        GgufValueType.UInt32 => value.AsArray<uint>().Select(i => i.ToString(CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"no repr for arrays of {value.ElementType}"),
    };

    private static string Scalar(GgufValue value) => value.Type switch
    {
        GgufValueType.String => String(value.AsString()),
        GgufValueType.Bool => value.AsBool() ? "True" : "False",
        GgufValueType.Float32 or GgufValueType.Float64 => Float(value.AsDouble()),
        _ => value.AsInt64().ToString(CultureInfo.InvariantCulture),
    };

    // Python's float repr: shortest round-trip digits, lower-case exponent, ".0" on integral values.
    private static string Float(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal) ? text : text + ".0";
    }

    // Python's str repr: single quotes unless the text has a single quote and no double quote.
    private static string String(string text)
    {
        char quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ when c < 0x20 || c == 0x7F => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append(quote).ToString();
    }
}
