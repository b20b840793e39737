using Loom.Models.Seq2Seq;

namespace Loom.Models.T5;

/// <summary>T5ForConditionalGeneration on Hugging Face fixture inputs (see <see cref="Seq2SeqFixtureModel"/>).</summary>
public sealed class T5FixtureModel(T5ForConditionalGeneration model) : Seq2SeqFixtureModel(model)
{
    /// <summary>Loads the HF folder <paramref name="dir"/>.</summary>
    public static T5FixtureModel Load(string dir) => new(T5ForConditionalGeneration.Load(dir));
}
