using Loom.Models.Decoding;

namespace Loom.Models.Llama;

/// <summary>LlamaForCausalLM on Hugging Face fixture inputs (see <see cref="CausalLmFixtureModel"/>).</summary>
public sealed class LlamaFixtureModel(LlamaForCausalLm model) : CausalLmFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static LlamaFixtureModel Load(string dir) => new(LlamaForCausalLm.Load(dir));
}
