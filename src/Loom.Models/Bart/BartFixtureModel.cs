using Loom.Models.Seq2Seq;

namespace Loom.Models.Bart;

/// <summary>BartForConditionalGeneration on Hugging Face fixture inputs (see <see cref="Seq2SeqFixtureModel"/>).</summary>
public sealed class BartFixtureModel(BartForConditionalGeneration model) : Seq2SeqFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static BartFixtureModel Load(string dir) => new(BartForConditionalGeneration.Load(dir));
}
