using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Loom.Metrics.Tests;

/// <summary>
/// Compares a computed result with a fixture's <c>expected</c> object following the fixture README: integers and
/// strings exactly, floats to 1e-12 relative (summation order may differ), non-finite values as the strings
/// "NaN"/"Infinity". Every non-diagnostic expected key must be present; diagnostic keys (leading underscore,
/// <c>tokenized</c>, <c>segments</c>, ...) are compared only when the result provides them.
/// </summary>
internal static class FixtureComparer
{
    private const double RelativeTolerance = 1e-12;

    private static readonly HashSet<string> Diagnostics = new(StringComparer.Ordinal)
    {
        "tokenized", "stdout", "segments", "no_punct", "entities_true", "entities_pred", "report_text",
    };

    /// <summary>The differences (empty when equal).</summary>
    public static List<string> Compare(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Walk(expected, actual, "$", differences, topLevel: true);
        return differences;
    }

    private static void Walk(JsonNode? expected, JsonNode? actual, string path, List<string> differences, bool topLevel = false)
    {
        switch (expected)
        {
            case JsonObject e:
                if (actual is not JsonObject a)
                {
                    differences.Add($"{path}: expected an object, found {Show(actual)}");
                    return;
                }

                foreach (var (key, value) in e)
                {
                    var diagnostic = topLevel && (key.StartsWith('_') || Diagnostics.Contains(key));
                    if (!a.ContainsKey(key))
                    {
                        if (!diagnostic)
                        {
                            differences.Add($"{path}.{key}: missing");
                        }

                        continue;
                    }

                    Walk(value, a[key], $"{path}.{key}", differences);
                }

                break;
            case JsonArray e:
                if (actual is not JsonArray arr || arr.Count != e.Count)
                {
                    differences.Add($"{path}: expected {Show(e)}, found {Show(actual)}");
                    return;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    Walk(e[i], arr[i], $"{path}[{i}]", differences);
                }

                break;
            case JsonValue e when e.GetValueKind() == JsonValueKind.Number:
                if (actual is not JsonValue av || av.GetValueKind() != JsonValueKind.Number)
                {
                    differences.Add($"{path}: expected {Show(e)}, found {Show(actual)}");
                    return;
                }

                var raw = e.ToJsonString();
                var x = double.Parse(raw, CultureInfo.InvariantCulture);
                var y = double.Parse(av.ToJsonString(), CultureInfo.InvariantCulture);
                var isInteger = !raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase);
                var ok = isInteger ? x == y : x == y || Math.Abs(x - y) <= RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
                if (!ok)
                {
                    differences.Add($"{path}: expected {raw}, found {y.ToString("R", CultureInfo.InvariantCulture)}");
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: expected {Show(expected)}, found {Show(actual)}");
                }

                break;
        }
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 300 ? text[..300] + "..." : text;
    }
}
