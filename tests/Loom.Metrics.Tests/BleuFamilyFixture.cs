using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Loom.Metrics.Tests;

/// <summary>
/// Loads the reference fixtures in <c>tests/testdata/metrics/</c> (copied from <c>../shared/fixtures/metrics/</c>) and
/// compares a computed result with a case's <c>expected</c>: integers and strings exactly, floats within 1e-12
/// relative (the README's bound for ports that sum in another order), reference errors as thrown exceptions.
/// Used by the BLEU, chrF, TER and captioning fixture tests.
/// </summary>
internal static class BleuFamilyFixture
{
    private const double RelativeTolerance = 1e-12;

    private static readonly string[] DiagnosticKeys = ["tokenized", "stdout", "segments", "no_punct"];

    private static readonly Dictionary<string, JsonObject> Cache = [];

    /// <summary>The case ids of a fixture file (e.g. <c>sacrebleu_bleu</c>).</summary>
    public static TheoryData<string> CaseIds(string metric)
    {
        var data = new TheoryData<string>();
        foreach (var c in Load(metric)["cases"]!.AsArray())
        {
            data.Add(c!["id"]!.GetValue<string>());
        }
        return data;
    }

    /// <summary>Runs <paramref name="run"/> on one case and asserts it matches the reference.</summary>
    public static void Check(string metric, string id, Func<JsonObject, JsonObject, JsonNode> run)
    {
        var c = Load(metric)["cases"]!.AsArray().Single(x => x!["id"]!.GetValue<string>() == id)!.AsObject();
        var parameters = c["params"]!.AsObject();
        var inputs = c["inputs"]!.AsObject();
        var expected = c["expected"]!.AsObject();
        if (expected["error"] is not null)
        {
            var ex = Record.Exception(() => run(parameters, inputs));
            Assert.True(ex is MetricException,
                $"{id}: the reference raises {expected["error"]} ({expected["message"]}); Loom returned a result " +
                $"or threw {ex?.GetType().Name}: {ex?.Message}");
            return;
        }
        var actual = run(parameters, inputs).AsObject();
        foreach (var (key, value) in expected)
        {
            var isDiagnostic = key.StartsWith('_') || DiagnosticKeys.Contains(key);
            if (isDiagnostic && actual[key] is null)
            {
                continue;
            }
            Assert.True(actual.ContainsKey(key), $"{id}: result lacks key '{key}'.");
            AssertEqual(value, actual[key], $"{id}.{key}");
        }
    }

    private static void AssertEqual(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, found {actual?.ToJsonString()}");
                break;
            case JsonObject eo:
                var ao = Assert.IsType<JsonObject>(actual, exactMatch: false);
                Assert.Equal(eo.Select(p => p.Key).Order(StringComparer.Ordinal), ao.Select(p => p.Key).Order(StringComparer.Ordinal));
                foreach (var (k, v) in eo)
                {
                    AssertEqual(v, ao[k], $"{path}.{k}");
                }
                break;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(ea.Count == aa.Count, $"{path}: expected {ea.Count} items, found {aa.Count}");
                for (var i = 0; i < ea.Count; i++)
                {
                    AssertEqual(ea[i], aa[i], $"{path}[{i}]");
                }
                break;
            default:
                AssertScalar(expected.AsValue(), actual, path);
                break;
        }
    }

    private static void AssertScalar(JsonValue expected, JsonNode? actual, string path)
    {
        Assert.True(actual is JsonValue, $"{path}: expected {expected.ToJsonString()}, found {actual?.ToJsonString()}");
        var a = actual!.AsValue();
        if (expected.TryGetValue<string>(out var es) && es is not ("NaN" or "Infinity" or "-Infinity"))
        {
            Assert.True(a.TryGetValue<string>(out var s) && s == es, $"{path}: expected \"{es}\", found {a.ToJsonString()}");
            return;
        }
        if (expected.TryGetValue<bool>(out var eb))
        {
            Assert.True(a.TryGetValue<bool>(out var b) && b == eb, $"{path}: expected {eb}, found {a.ToJsonString()}");
            return;
        }
        var e = ToDouble(expected);
        var x = ToDouble(a);
        var isInteger = !expected.ToJsonString().Contains('.') && !expected.ToJsonString().Contains('e', StringComparison.OrdinalIgnoreCase)
                        && !double.IsNaN(e) && !double.IsInfinity(e);
        if (isInteger || double.IsNaN(e) || double.IsInfinity(e))
        {
            Assert.True(e.Equals(x), $"{path}: expected {expected.ToJsonString()}, found {a.ToJsonString()}");
            return;
        }
        Assert.True(e == x || Math.Abs(e - x) <= RelativeTolerance * Math.Max(Math.Abs(e), Math.Abs(x)),
            $"{path}: expected {e:R}, found {x:R} (relative difference {Math.Abs(e - x) / Math.Abs(e):E2})");
    }

    private static double ToDouble(JsonValue v) =>
        v.TryGetValue<string>(out var s)
            ? s switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, _ => throw new FormatException(s) }
            : v.TryGetValue<double>(out var d) ? d
            : v.TryGetValue<long>(out var l) ? l
            : v.TryGetValue<int>(out var i) ? i
            : throw new FormatException($"Not a number: {v.ToJsonString()}");

    private static JsonObject Load(string metric)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(metric, out var obj))
            {
                obj = JsonNode.Parse(File.ReadAllText(Path.Combine(TestDataDirectory(), metric + ".json")))!.AsObject();
                Cache[metric] = obj;
            }
            return obj;
        }
    }

    private static string TestDataDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "testdata", "metrics");
}
