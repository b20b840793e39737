using System.Text.Json.Nodes;

namespace Loom.Metrics.Cases;

/// <summary>Typed reading of the <c>params</c>/<c>inputs</c> objects of a metric fixture case, with clear errors.</summary>
internal static class CaseArgs
{
    public static string String(JsonObject obj, string name, string? fallback = null) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : obj[name] is null && fallback is not null ? fallback
        : throw Missing(name, "a string", obj);

    public static bool Bool(JsonObject obj, string name, bool fallback) =>
        obj[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
        : obj[name] is null ? fallback
        : throw Missing(name, "true/false", obj);

    public static int Int(JsonObject obj, string name, int fallback) =>
        obj[name] is null ? fallback : (int)Number(obj, name);

    public static double Number(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw Missing(name, "a number", obj);

    public static double? OptionalNumber(JsonObject obj, string name) =>
        obj[name] is null ? null : Number(obj, name);

    public static List<string> Strings(JsonNode? node, string name) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? throw Missing(name, "strings (no null)", null)).ToList()
        : throw Missing(name, "a list of strings", null);

    public static List<IReadOnlyList<string?>> NullableStringLists(JsonNode? node, string name) =>
        node is JsonArray a
            ? a.Select(x => (IReadOnlyList<string?>)(x as JsonArray ?? throw Missing(name, "a list of lists", null))
                .Select(y => y?.GetValue<string>()).ToList()).ToList()
            : throw Missing(name, "a list of lists of strings", null);

    public static JsonArray Array(IEnumerable<double> values) => new(values.Select(Num).ToArray());

    public static JsonArray Array(IEnumerable<string?> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>A number as JSON: integral values as integers (Python ints), others as doubles.</summary>
    public static JsonNode Num(double value) =>
        Math.Abs(value) < 9e15 && value == Math.Floor(value) ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private static MetricException Missing(string name, string expected, JsonObject? obj) =>
        new($"Case field '{name}': expected {expected}, found {(obj?[name]?.ToJsonString() ?? "nothing")}.");
}
