using Loom.Models.Decoding;

namespace Loom.Models.Bloom;

/// <summary>BloomForCausalLM on Hugging Face fixture inputs (see <see cref="CausalLmFixtureModel"/>).</summary>
public sealed class BloomFixtureModel(BloomForCausalLm model) : CausalLmFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static BloomFixtureModel Load(string dir) => new(BloomForCausalLm.Load(dir));
}
