using System.Text.Json;
using Loom.Core;

namespace Loom.Models.Tests.Training;

/// <summary>
/// One folder of tests/testdata/train (copied from ../shared/fixtures/train, see its README): train.json's batch and
/// scalar results plus the suggested tolerances from tolerances.json.
/// </summary>
internal sealed class TrainFixture
{
    private TrainFixture(string name, JsonElement train, JsonElement suggested)
    {
        Name = name;
        var batch = train.GetProperty("batch");
        Batch = new TrainBatch(Ids(batch, "input_ids")!, Ids(batch, "attention_mask"), Ids(batch, "token_type_ids"), Ids(batch, "labels")!);
        Loss = train.GetProperty("loss").GetSingle();
        var training = train.GetProperty("training");
        Losses = Floats(training.GetProperty("losses"));
        GradNorms = Floats(training.GetProperty("grad_norms_pre_clip"));
        LossAfterTraining = training.GetProperty("loss_after_training").GetSingle();
        KeyBiasRanges = [];
        if (train.GetProperty("float64_check").TryGetProperty("zero_true_gradient_elements", out var zero))
        {
            foreach (var entry in zero.EnumerateObject())
            {
                KeyBiasRanges[entry.Name] = [.. entry.Value.GetProperty("index_ranges_inclusive").EnumerateArray()
                    .Select(r => (r[0].GetInt32(), r[1].GetInt32()))];
            }
        }

        Suggested = suggested;
    }

    public string Name { get; }

    /// <summary>The fixture folder: config.json, model.safetensors and the reference results.</summary>
    public string Folder => FixturePaths.Data("train", Name);

    public TrainBatch Batch { get; }

    public float Loss { get; }

    public float[] Losses { get; }

    public float[] GradNorms { get; }

    public float LossAfterTraining { get; }

    /// <summary>Elements whose true gradient is exactly zero (attention key biases), by parameter name.</summary>
    public Dictionary<string, (int First, int Last)[]> KeyBiasRanges { get; }

    /// <summary>tolerances.json → fixtures.NAME.suggested.</summary>
    public JsonElement Suggested { get; }

    public static TrainFixture Load(string name)
    {
        using var train = JsonDocument.Parse(File.ReadAllText(FixturePaths.Data("train", name, "train.json")));
        using var tolerances = JsonDocument.Parse(File.ReadAllText(FixturePaths.Data("train", "tolerances.json")));
        var suggested = tolerances.RootElement.GetProperty("fixtures").GetProperty(name).GetProperty("suggested").Clone();
        return new TrainFixture(name, train.RootElement.Clone(), suggested);
    }

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public bool IsKeyBias(string name, int index) =>
        KeyBiasRanges.TryGetValue(name, out var ranges) && ranges.Any(r => index >= r.First && index <= r.Last);

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetSingle())];

    private static IntTensor? Ids(JsonElement batch, string key)
    {
        if (!batch.TryGetProperty(key, out var rows))
        {
            return null;
        }

        var values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        return IntTensor.FromArray([.. values.SelectMany(r => r)], values.Length, values[0].Length);
    }
}
