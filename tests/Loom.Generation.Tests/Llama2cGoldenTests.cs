using System.Globalization;
using System.Text.Json;
using Loom.Generation.Llama2c;

namespace Loom.Generation.Tests;

/// <summary>
/// The embedded stories260K model through the llama2.c-compatible runner and sampler must print exactly what
/// llama2.c run.c printed (golden.json: greedy and seeded top-p runs, with and without a prompt).
/// </summary>
public sealed class Llama2cGoldenTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden().GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputIsByteIdenticalToRunC(string name)
    {
        var golden = Golden().GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var args = golden.GetProperty("run_c_args").EnumerateArray().Select(a => a.GetString()!).ToList();
        string? Arg(string flag) => args.IndexOf(flag) is var i and >= 0 ? args[i + 1] : null;
        var (model, tokenizer, sequenceLength) = DefaultModel.Load();
        var sampler = new Llama2cSampler(
            float.Parse(Arg("-t") ?? "1.0", CultureInfo.InvariantCulture),
            float.Parse(Arg("-p") ?? "0.9", CultureInfo.InvariantCulture),
            ulong.Parse(Arg("-s") ?? "1", CultureInfo.InvariantCulture));

        var output = new Llama2cRunner(model, tokenizer, sequenceLength).Output(Arg("-i") ?? "", sampler, int.Parse(Arg("-n")!, CultureInfo.InvariantCulture));

        Assert.Equal(golden.GetProperty("stdout").GetString(), System.Text.Encoding.UTF8.GetString(output));
    }

    private static JsonElement Golden() =>
        JsonDocument.Parse(File.ReadAllText(TestData.Path("models", "llama2c", "golden.json"))).RootElement;
}
