// GPT-2 causal self-attention (Radford et al. 2019, "Language Models are Unsupervised Multitask Learners"; HF
// modeling_gpt2.GPT2Attention): one fused c_attn projection to q|k|v stored [in, out] as HF's Conv1D, scores scaled by
// 1/√D (and 1/(layer + 1) with scale_attn_by_inverse_layer_idx), causal + padding mask, c_proj back to C; in training
// mode attn_pdrop drops attention probabilities and resid_pdrop the output.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Gpt2;

/// <summary>Multi-head causal self-attention of one GPT-2 block.</summary>
public sealed class Gpt2Attention
{
    private readonly Gpt2Config _config;
    private readonly int _layer;
    private readonly Linear _qkv;
    private readonly Linear _output;
    private readonly float _scale;
    private readonly Dropout _probabilityDropout;
    private readonly Dropout _outputDropout;

    /// <summary>Binds <c>c_attn</c> and <c>c_proj</c> under <paramref name="weights"/> (block <paramref name="layer"/>).</summary>
    public Gpt2Attention(Weights weights, Gpt2Config config, int layer)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _layer = layer;
        _qkv = new Linear(weights.Scope("c_attn"), config.Channels, 3 * config.Channels, layout: LinearLayout.InOut);
        _output = new Linear(weights.Scope("c_proj"), config.Channels, config.Channels, layout: LinearLayout.InOut);
        var scale = config.ScaleAttentionWeights ? 1f / MathF.Sqrt(config.HeadDim) : 1f;
        _scale = config.ScaleAttentionByInverseLayerIndex ? scale / (layer + 1) : scale;
        _probabilityDropout = new Dropout(weights, config.AttentionDropout);
        _outputDropout = new Dropout(weights, config.ResidualDropout);
    }

    /// <summary>x (B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        var qkv = _qkv.Forward(x).Split(_config.Channels, 2); // 3 × (B, T, C)
        var q = AttentionHeads.Split(qkv[0], _config.Heads); // (B, H, T, D)
        var k = AttentionHeads.Split(qkv[1], _config.Heads); // (B, H, T, D)
        var v = AttentionHeads.Split(qkv[2], _config.Heads); // (B, H, T, D)
        if (step.Cache is not null)
        {
            (k, v) = step.Cache.Append(_layer, k, v); // (B, H, S, D)
        }

        var (y, p) = AttentionCore.Attend(q, k, v, step.Mask, _scale, step.OutputAttentions, _probabilityDropout); // (B, H, T, D)
        probabilities = p;
        return _outputDropout.Forward(_output.Forward(AttentionHeads.Merge(y))); // (B, T, C)
    }
}
