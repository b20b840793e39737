// LLaMA self-attention (Touvron et al. 2023; HF modeling_llama.LlamaAttention, eager path): q/k/v/o projections,
// rotary positions on q and k, grouped-/multi-query key-value heads (Ainslie et al. 2023; Shazeer 2019) repeated per
// query group, causal + padding mask, 1/√D scaling, attention_dropout on the probabilities in training mode. Qwen2
// reuses it with biases on q/k/v.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Llama;

/// <summary>The attention of one LLaMA / Qwen2 block.</summary>
public sealed class LlamaAttention
{
    private readonly LlamaConfig _config;
    private readonly int _layer;
    private readonly RotaryPositions _rotary;
    private readonly LinearGroup _queryKeyValue; // q_proj, k_proj, v_proj: one kernel job when decoding
    private readonly Linear _output;
    private readonly Dropout _probabilityDropout;

    /// <summary>Binds q_proj, k_proj, v_proj and o_proj under <paramref name="weights"/> (block <paramref name="layer"/>).</summary>
    public LlamaAttention(Weights weights, LlamaConfig config, int layer, RotaryPositions rotary)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rotary);
        (_config, _layer, _rotary) = (config, layer, rotary);
        int c = config.HiddenSize, d = config.HeadDim;
        _queryKeyValue = new LinearGroup(
            new Linear(weights.Scope("q_proj"), c, config.Heads * d, config.QkvBias),
            new Linear(weights.Scope("k_proj"), c, config.KvHeads * d, config.QkvBias),
            new Linear(weights.Scope("v_proj"), c, config.KvHeads * d, config.QkvBias));
        _output = new Linear(weights.Scope("o_proj"), config.Heads * d, c, config.OutputBias);
        _probabilityDropout = new Dropout(weights, config.AttentionDropout);
    }

    /// <summary>x (B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        var qkv = _queryKeyValue.Forward(x); // (B, T, H·D), (B, T, KvH·D), (B, T, KvH·D)
        var q = _rotary.Apply(AttentionHeads.Split(qkv[0], _config.Heads), step.PositionIds); // (B, H, T, D)
        var k = _rotary.Apply(AttentionHeads.Split(qkv[1], _config.KvHeads), step.PositionIds); // (B, KvH, T, D)
        var v = AttentionHeads.Split(qkv[2], _config.KvHeads); // (B, KvH, T, D)
        if (step.Cache is not null)
        {
            (k, v) = step.Cache.Append(_layer, k, v); // (B, KvH, S, D)
        }

        var (y, p) = AttentionCore.Attend(q, k, v, step.Mask, 1f / MathF.Sqrt(_config.HeadDim), step.OutputAttentions, _probabilityDropout); // (B, H, T, D)
        probabilities = p;
        return _output.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }
}
