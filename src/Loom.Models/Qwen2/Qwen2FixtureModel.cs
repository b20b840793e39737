using Loom.Models.Decoding;
using Loom.Models.Llama;

namespace Loom.Models.Qwen2;

/// <summary>
/// Qwen2ForCausalLM on Hugging Face fixture inputs: the LLaMA graph (<see cref="LlamaForCausalLm"/>) built from a
/// <see cref="Qwen2Config"/>.
/// </summary>
public sealed class Qwen2FixtureModel(LlamaForCausalLm model) : CausalLmFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static Qwen2FixtureModel Load(string dir) => new(LlamaForCausalLm.Load(dir, HfCheckpoint.ReadConfig<Qwen2Config>(dir)));
}
