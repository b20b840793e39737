// Pre-norm transformer block of GPT-2: x + attn(ln_1(x)), then + mlp(ln_2(x)) with gelu_new (HF GPT2Block).
using Loom.Core;

namespace Loom.Nn.Tests.Gpt2;

internal sealed class Gpt2Block
{
    private readonly LayerNorm _ln1;
    private readonly Gpt2Attention _attention;
    private readonly LayerNorm _ln2;
    private readonly Mlp _mlp;

    public Gpt2Block(Weights weights, Gpt2Config config)
    {
        var inner = config.Inner ?? (4 * config.Channels);
        _ln1 = new LayerNorm(weights.Scope("ln_1"), config.Channels, config.LayerNormEps);
        _attention = new Gpt2Attention(weights.Scope("attn"), config);
        _ln2 = new LayerNorm(weights.Scope("ln_2"), config.Channels, config.LayerNormEps);
        _mlp = new Mlp(
            new Linear(weights.Scope("mlp.c_fc"), config.Channels, inner, layout: LinearLayout.InOut),
            new Linear(weights.Scope("mlp.c_proj"), inner, config.Channels, layout: LinearLayout.InOut),
            Activations.FromHfName(config.ActivationFunction));
    }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        x += _attention.Forward(_ln1.Forward(x), padding);
        return x + _mlp.Forward(_ln2.Forward(x));
    }
}
