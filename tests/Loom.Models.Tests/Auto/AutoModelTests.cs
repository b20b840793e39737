using Loom.Models.Auto;
using Loom.Models.Bloom;
using Loom.Models.Gpt2;
using Loom.Models.Llama;

namespace Loom.Models.Tests.Auto;

/// <summary>AutoModel picks the class from config.json's architectures, falling back to model_type.</summary>
public sealed class AutoModelTests
{
    [Theory]
    [InlineData("gpt2", "GPT2LMHeadModel")]
    [InlineData("llama", "LlamaForCausalLM")]
    [InlineData("llama_gqa", "LlamaForCausalLM")]
    [InlineData("qwen2", "Qwen2ForCausalLM")]
    [InlineData("bloom", "BloomForCausalLM")]
    public void ArchitectureComesFromConfig(string fixture, string architecture)
    {
        Assert.Equal(architecture, AutoModel.ResolveArchitecture(FixturePaths.Hf(fixture)));
        Assert.Equal(architecture, AutoModel.LoadFixtureModel(FixturePaths.Hf(fixture)).Architecture);
        Assert.Equal(architecture, AutoModel.LoadCausalLm(FixturePaths.Hf(fixture)).Architecture);
    }

    [Fact]
    public void ModelTypeIsTheFallback()
    {
        var dir = FixturePaths.TempFolder("model-type-only");
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type": "bloom"}""");

        Assert.Equal("BloomForCausalLM", AutoModel.ResolveArchitecture(dir));
    }

    [Fact]
    public void ConcreteClassesAreBuilt()
    {
        Assert.IsType<Gpt2LmHeadModel>(AutoModel.LoadCausalLm(FixturePaths.Hf("gpt2")));
        Assert.IsType<LlamaForCausalLm>(AutoModel.LoadCausalLm(FixturePaths.Hf("qwen2")));
        Assert.IsType<BloomForCausalLm>(AutoModel.LoadCausalLm(FixturePaths.Hf("bloom")));
        Assert.True(((LlamaForCausalLm)AutoModel.LoadCausalLm(FixturePaths.Hf("qwen2"))).Config.QkvBias);
    }
}
