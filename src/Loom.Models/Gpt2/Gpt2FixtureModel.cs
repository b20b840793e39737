using Loom.Models.Decoding;

namespace Loom.Models.Gpt2;

/// <summary>GPT2LMHeadModel on Hugging Face fixture inputs (see <see cref="CausalLmFixtureModel"/>).</summary>
public sealed class Gpt2FixtureModel(Gpt2LmHeadModel model) : CausalLmFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static Gpt2FixtureModel Load(string dir) => new(Gpt2LmHeadModel.Load(dir));
}
