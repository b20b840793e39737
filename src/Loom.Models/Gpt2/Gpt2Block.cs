// Pre-norm GPT-2 block (HF modeling_gpt2.GPT2Block): x + attn(ln_1(x)), then + mlp(ln_2(x)), the MLP being
// c_fc → activation (gelu_new) → c_proj with Conv1D [in, out] weights, its output dropped out (resid_pdrop) in training.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Gpt2;

/// <summary>One GPT-2 transformer block.</summary>
public sealed class Gpt2Block : IDecoderBlock
{
    private readonly LayerNorm _ln1;
    private readonly Gpt2Attention _attention;
    private readonly LayerNorm _ln2;
    private readonly Mlp _mlp;
    private readonly Dropout _mlpDropout;

    /// <summary>Binds block <paramref name="layer"/> under <paramref name="weights"/> (<c>transformer.h.i</c>).</summary>
    public Gpt2Block(Weights weights, Gpt2Config config, int layer)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _ln1 = new LayerNorm(weights.Scope("ln_1"), config.Channels, config.LayerNormEps);
        _attention = new Gpt2Attention(weights.Scope("attn"), config, layer);
        _ln2 = new LayerNorm(weights.Scope("ln_2"), config.Channels, config.LayerNormEps);
        _mlp = new Mlp(
            new Linear(weights.Scope("mlp.c_fc"), config.Channels, config.FeedForward, layout: LinearLayout.InOut),
            new Linear(weights.Scope("mlp.c_proj"), config.FeedForward, config.Channels, layout: LinearLayout.InOut),
            Activations.FromHfName(config.ActivationFunction));
        _mlpDropout = new Dropout(weights, config.ResidualDropout);
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? attention)
    {
        x += _attention.Forward(_ln1.Forward(x), step, out attention); // (B, T, C)
        return x + _mlpDropout.Forward(_mlp.Forward(_ln2.Forward(x))); // (B, T, C)
    }
}
