using Loom.Formats.Safetensors;
using Loom.Models.Auto;
using Loom.Nn;

namespace Loom.Models.Tests.Decoders;

/// <summary>Mismatched checkpoints fail with typed exceptions naming the tensor and the expected vs found shape.</summary>
public sealed class CheckpointErrorTests
{
    [Fact]
    public void MissingTensorIsNamed()
    {
        var dir = Rewrite("llama", "missing", name => name == "model.layers.1.mlp.up_proj.weight" ? null : name, reshape: null);

        var error = Assert.Throws<StateDictException>(() => AutoModel.LoadFixtureModel(dir));

        Assert.Contains("model.layers.1.mlp.up_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[128, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShapeSaysExpectedAndFound()
    {
        var dir = Rewrite("gpt2", "shape", name => name, reshape: name => name == "transformer.h.0.attn.c_attn.weight" ? [192, 64] : null);

        var error = Assert.Throws<StateDictException>(() => AutoModel.LoadFixtureModel(dir));

        Assert.Contains("transformer.h.0.attn.c_attn.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 192]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[192, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnusedTensorIsReported()
    {
        var dir = Rewrite("bloom", "extra", name => name, reshape: null, extra: "transformer.h.2.input_layernorm.weight");

        var error = Assert.Throws<StateDictException>(() => AutoModel.LoadFixtureModel(dir));

        Assert.Contains("transformer.h.2.input_layernorm.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownArchitectureIsAModelLoadException()
    {
        var dir = FixturePaths.TempFolder("unknown-architecture");
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"architectures": ["MambaForCausalLM"], "model_type": "mamba"}""");

        var error = Assert.Throws<ModelLoadException>(() => AutoModel.LoadFixtureModel(dir));

        Assert.Contains("MambaForCausalLM", error.Message, StringComparison.Ordinal);
        Assert.Contains("LlamaForCausalLM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedRopeScalingIsRejected()
    {
        var dir = FixturePaths.TempFolder("rope-scaling");
        var config = File.ReadAllText(Path.Combine(FixturePaths.Hf("llama"), "config.json")).Replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "config.json"), config);
        File.Copy(Path.Combine(FixturePaths.Hf("llama"), "model.safetensors"), Path.Combine(dir, "model.safetensors"));

        var error = Assert.Throws<ModelLoadException>(() => AutoModel.LoadFixtureModel(dir));

        Assert.Contains("rope_scaling", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Copies a fixture's config and re-writes its checkpoint with tensors renamed / dropped / reshaped / added.</summary>
    private static string Rewrite(string fixture, string name, Func<string, string?> rename, Func<string, long[]?>? reshape, string? extra = null)
    {
        var source = FixturePaths.Hf(fixture);
        var dir = FixturePaths.TempFolder($"{fixture}-{name}");
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(dir, "config.json"));
        using var checkpoint = SafetensorsCheckpoint.Open(source);
        var writer = new SafetensorsWriter();
        foreach (var tensor in checkpoint.Names.Order(StringComparer.Ordinal))
        {
            var target = rename(tensor);
            if (target is null)
            {
                continue;
            }

            var entry = checkpoint.Find(tensor).Entry;
            writer.AddFloat32(target, reshape?.Invoke(tensor) ?? [.. entry.Shape], checkpoint.ReadFloat32(tensor));
        }

        if (extra is not null)
        {
            writer.AddFloat32(extra, [64], new float[64]);
        }

        writer.Save(Path.Combine(dir, "model.safetensors"));
        return dir;
    }
}
