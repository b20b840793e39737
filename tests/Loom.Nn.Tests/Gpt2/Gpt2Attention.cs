// GPT-2 causal self-attention (Radford et al. 2019; HF modeling_gpt2.GPT2Attention, nanoGPT CausalSelfAttention):
// one fused c_attn projection to q|k|v, stored (in, out) as HF's Conv1D, then causal scaled dot-product attention.
using Loom.Core;

namespace Loom.Nn.Tests.Gpt2;

internal sealed class Gpt2Attention(Weights weights, Gpt2Config config)
{
    private readonly Linear _qkv = new(weights.Scope("c_attn"), config.Channels, 3 * config.Channels, layout: LinearLayout.InOut);
    private readonly Linear _output = new(weights.Scope("c_proj"), config.Channels, config.Channels, layout: LinearLayout.InOut);

    /// <summary>x (B, T, C), padding mask (B, 1, 1, T) or null → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor? padding)
    {
        var qkv = _qkv.Forward(x).Split(config.Channels, 2); // 3 × (B, T, C)
        var q = AttentionHeads.Split(qkv[0], config.Heads); // (B, H, T, D)
        var k = AttentionHeads.Split(qkv[1], config.Heads); // (B, H, T, D)
        var v = AttentionHeads.Split(qkv[2], config.Heads); // (B, H, T, D)
        var y = Tensor.ScaledDotProductAttention(q, k, v, padding, causal: true); // (B, H, T, D)
        return _output.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }
}
