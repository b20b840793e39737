using System.Text.Json;
using System.Text.Json.Nodes;

namespace Loom.Metrics.Cases;

/// <summary>
/// Reading case parameters/inputs and writing results in the fixture JSON conventions
/// (<c>../shared/fixtures/metrics/README.md</c>): absent or null parameters take defaults, non-finite floats are the
/// strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>. Malformed input raises <see cref="MetricException"/>
/// naming the offending key.
/// </summary>
public static class CaseJson
{
    /// <summary>A float as the fixtures write it (non-finite values as strings).</summary>
    public static JsonNode Number(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);

    /// <summary>A JSON array of floats.</summary>
    public static JsonArray Numbers(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)Number(v))]);

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>A JSON array of string arrays.</summary>
    public static JsonArray StringLists(IEnumerable<IEnumerable<string>> values) => new([.. values.Select(v => (JsonNode?)Strings(v))]);

    /// <summary>A required property.</summary>
    public static JsonNode Required(JsonObject obj, string key)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj[key] ?? throw new MetricException($"Missing '{key}': expected it in the case object, found keys [{string.Join(", ", obj.Select(p => p.Key))}].");
    }

    /// <summary>An optional string (null when absent or JSON null).</summary>
    public static string? OptionalString(JsonObject obj, string key) => obj[key] is { } node ? AsString(node, key) : null;

    /// <summary>An optional boolean.</summary>
    public static bool Bool(JsonObject obj, string key, bool fallback) =>
        obj[key] is { } node ? Convert(node, key, n => n.GetValue<bool>(), "a boolean") : fallback;

    /// <summary>An optional number.</summary>
    public static double? OptionalDouble(JsonObject obj, string key) =>
        obj[key] is { } node ? Convert(node, key, n => n.GetValue<double>(), "a number") : null;

    /// <summary>A node as a string.</summary>
    public static string AsString(JsonNode node, string where) => Convert(node, where, n => n.GetValue<string>(), "a string");

    /// <summary>A node as an array of strings.</summary>
    public static List<string> AsStringList(JsonNode node, string where) =>
        [.. AsArray(node, where).Select((n, i) => AsString(n ?? throw Null($"{where}[{i}]"), $"{where}[{i}]"))];

    /// <summary>A node as an array of string arrays.</summary>
    public static List<IReadOnlyList<string>> AsStringLists(JsonNode node, string where) =>
        [.. AsArray(node, where).Select((n, i) => (IReadOnlyList<string>)AsStringList(n ?? throw Null($"{where}[{i}]"), $"{where}[{i}]"))];

    /// <summary>A node as an array.</summary>
    public static JsonArray AsArray(JsonNode node, string where) =>
        node as JsonArray ?? throw new MetricException($"'{where}': expected an array, found {node.GetValueKind()}.");

    /// <summary>A node as an object.</summary>
    public static JsonObject AsObject(JsonNode node, string where) =>
        node as JsonObject ?? throw new MetricException($"'{where}': expected an object, found {node.GetValueKind()}.");

    private static MetricException Null(string where) => new($"'{where}': expected a value, found null.");

    private static T Convert<T>(JsonNode node, string where, Func<JsonNode, T> read, string expected)
    {
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new MetricException($"'{where}': expected {expected}, found {node.ToJsonString()}.", e);
        }
    }

    /// <summary>Serialises a node on one line without escaping non-ASCII text.</summary>
    public static string ToLine(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(LineOptions);
    }

    private static readonly JsonSerializerOptions LineOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };
}
