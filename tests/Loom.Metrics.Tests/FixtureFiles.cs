using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Loom.Metrics.Tests;

/// <summary>
/// Loads the reference fixture files copied from <c>../shared/fixtures/metrics/</c> into
/// <c>tests/testdata/metrics/</c> (copied next to the test assembly at build time).
/// </summary>
internal static class FixtureFiles
{
    private static readonly ConcurrentDictionary<string, JsonObject> Cache = new(StringComparer.Ordinal);

    public static JsonObject Load(string name) => Cache.GetOrAdd(name, n =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "metrics", n + ".json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    });

    public static JsonObject Case(string name, string id) =>
        Load(name)["cases"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string?)c["id"] == id);

    /// <summary>(file, case id) pairs of the public cases of the given files.</summary>
    public static TheoryData<string, string> CaseIds(params string[] names)
    {
        var data = new TheoryData<string, string>();
        foreach (var name in names)
        {
            foreach (var c in Load(name)["cases"]!.AsArray())
            {
                data.Add(name, (string)c!["id"]!);
            }
        }

        return data;
    }
}
