// The bare encoder-decoders (HF BartModel / T5Model): loaded from the task model's fixture checkpoint (HF strips BART's
// "model." prefix and ignores the head) or from their own, they reproduce HF's encoder/decoder hidden states and
// attentions of the bart / t5 / t5_v1_1 fixtures, and AutoModel picks them from architectures or model_type.
using System.Text.Json.Nodes;
using Loom.Models.Auto;
using Loom.Models.Bart;
using Loom.Models.Conformance;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;

namespace Loom.Models.Tests.Seq2Seq;

public sealed class BareSeq2SeqModelTests
{
    private static readonly string[] HiddenOutputs =
        ["encoder_last_hidden_state", "decoder_last_hidden_state", "encoder_hidden_states", "decoder_hidden_states", "encoder_attentions", "decoder_attentions", "cross_attentions"];

    public static TheoryData<string> Fixtures => ["bart", "t5", "t5_v1_1"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_bare_model_matches_hf_hidden_states_and_attentions(string name)
    {
        var dir = FixturePaths.Hf(name);
        var report = ConformanceRunner.Run(dir, new Seq2SeqModelFixtureModel(LoadBare(name, dir)));
        AssertHiddenOutputsPass(report);
        Assert.Contains(report.Comparisons, c => c.Output == "logits" && !c.Passed); // no LM head
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void AutoModel_picks_the_bare_model_from_architectures_and_from_model_type_alone(string name)
    {
        var family = name.StartsWith("t5", StringComparison.Ordinal) ? "T5Model" : "BartModel";
        using var folder = CopyWithConfig(FixturePaths.Hf(name), config => config["architectures"] = new JsonArray(family));
        Assert.Equal(family, AutoModel.ResolveArchitecture(folder.Path));
        AssertHiddenOutputsPass(ConformanceRunner.Run(folder.Path));
        using var byType = CopyWithConfig(FixturePaths.Hf(name), config => config.Remove("architectures"));
        Assert.Equal(family, AutoModel.ResolveArchitecture(byType.Path));
    }

    [Fact]
    public void A_bart_model_checkpoint_without_the_task_prefix_loads_to_the_same_states()
    {
        var dir = FixturePaths.Hf("bart");
        var fromTask = BartModel.Load(dir);
        using var folder = CopyWithConfig(dir, config => config["architectures"] = new JsonArray("BartModel"));
        File.Delete(Path.Combine(folder.Path, "model.safetensors"));
        StateDict.Save(fromTask.Parameters.Select(p => KeyValuePair.Create(p.Key["model.".Length..], p.Value)), Path.Combine(folder.Path, "model.safetensors"));
        var own = ConformanceRunner.Run(folder.Path);
        AssertHiddenOutputsPass(own);
        Assert.Equal("BartModel", own.Architecture);
    }

    private static Seq2SeqModel LoadBare(string name, string dir) => name == "bart" ? BartModel.Load(dir) : T5Model.Load(dir);

    private static void AssertHiddenOutputsPass(ConformanceReport report)
    {
        var hidden = report.Comparisons.Where(c => HiddenOutputs.Contains(c.Output)).ToList();
        Assert.Equal(HiddenOutputs.Order(StringComparer.Ordinal), hidden.Select(c => c.Output).Distinct().Order(StringComparer.Ordinal));
        Assert.All(hidden, c => Assert.True(c.Passed && !c.Skipped, $"{c.Case}/{c.Output}: max abs {c.MaxAbsoluteError:g3}, rel {c.MaxRelativeError:g3} {c.Note}"));
    }

    private static TempCopy CopyWithConfig(string source, Action<JsonObject> edit)
    {
        var copy = new TempCopy();
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(copy.Path, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        edit(config);
        File.WriteAllText(configPath, config.ToJsonString());
        return copy;
    }

    private sealed class TempCopy : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("loom-bare-seq2seq").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
