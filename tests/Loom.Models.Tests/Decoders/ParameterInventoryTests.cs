using System.Text.Json;
using Loom.Models.Auto;

namespace Loom.Models.Tests.Decoders;

/// <summary>The loaded parameters (plus tied aliases) are exactly the HF state dict listed in fixture.json.</summary>
public sealed class ParameterInventoryTests
{
    public static TheoryData<string> Fixtures => ["gpt2", "llama", "llama_gqa", "qwen2", "bloom"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ParametersEqualTheStateDict(string fixture)
    {
        var dir = FixturePaths.Hf(fixture);
        var model = AutoModel.LoadCausalLm(dir);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fixture.json")));
        var stateDict = manifest.RootElement.GetProperty("state_dict").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(",", p.Value.EnumerateArray().Select(d => d.GetInt32())));
        var tiedInFixture = manifest.RootElement.GetProperty("tied_keys_not_in_file").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        var ours = model.Parameters.ToDictionary(p => p.Key, p => string.Join(",", p.Value.Shape));
        foreach (var (alias, source) in model.TiedWeights)
        {
            ours[alias] = ours[source];
        }

        Assert.Equal(stateDict.OrderBy(p => p.Key, StringComparer.Ordinal), ours.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(tiedInFixture.OrderBy(p => p.Key, StringComparer.Ordinal), model.TiedWeights.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));
        var uniqueCount = stateDict.Where(p => !tiedInFixture.ContainsKey(p.Key)).Sum(p => p.Value.Split(',').Aggregate(1L, (a, d) => a * int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(uniqueCount, model.Parameters.Sum(p => (long)p.Value.Count));
    }
}
