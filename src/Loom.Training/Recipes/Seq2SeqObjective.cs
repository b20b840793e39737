namespace Loom.Training.Recipes;

/// <summary>The denoising objective (and model family) of `loom train pretrain seq2seq`.</summary>
public enum Seq2SeqObjective
{
    /// <summary>BART text infilling (Poisson spans, one &lt;mask&gt; each; the decoder rebuilds the row) on a BartForConditionalGeneration.</summary>
    Bart,

    /// <summary>T5 span corruption (sentinels; the decoder predicts the dropped spans) on a T5ForConditionalGeneration.</summary>
    T5,
}
