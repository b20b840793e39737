// The bare BART encoder-decoder (HF modeling_bart.BartModel): shared embedding, encoder and decoder stacks, returning the
// decoder's last hidden state without the LM head. BartForConditionalGeneration holds one under "model".
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary>BartModel (<c>shared</c>, <c>encoder</c>, <c>decoder</c>).</summary>
public sealed class BartModel : Seq2SeqModel
{
    /// <summary>Binds <c>shared</c>, <c>encoder</c> and <c>decoder</c> under <paramref name="weights"/>.</summary>
    public BartModel(Weights weights, BartConfig config)
        : this(weights, config, "BartModel")
    {
    }

    private BartModel(Weights weights, BartConfig config, string architecture, Embedding shared)
        : base(architecture, weights, shared, new BartStack(weights.Scope("encoder"), config, shared, decoder: false),
            new BartStack(weights.Scope("decoder"), config, shared, decoder: true))
    {
    }

    /// <summary>The body of a task model named <paramref name="architecture"/> in messages.</summary>
    internal BartModel(Weights weights, BartConfig config, string architecture)
        : this(weights, Validated(config), architecture, new Embedding(weights.Scope("shared"), config.VocabSize, config.DModel, config.WeightInit))
    {
    }

    /// <summary>
    /// Loads an HF folder saved from BartModel (keys <c>shared.*</c>, <c>encoder.*</c>, <c>decoder.*</c>) or from a task
    /// model (keys under <c>model.</c>; the head's <c>final_logits_bias</c> / <c>lm_head.*</c> are left unused, as HF does).
    /// </summary>
    public static BartModel Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<BartConfig>(dir);
        return HfCheckpoint.LoadBase(dir, "model", _ => false, w => new BartModel(w, config));
    }

    private static BartConfig Validated(BartConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return config;
    }
}
