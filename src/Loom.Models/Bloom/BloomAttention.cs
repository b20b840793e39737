// BLOOM self-attention (BigScience 2022, "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model"; HF
// modeling_bloom.BloomAttention): one fused query_key_value projection whose output is interleaved per head
// ([H, 3, D]), ALiBi position biases (Press et al. 2022) instead of position embeddings, scores
// alibi + Q·Kᵀ/√D plus the causal/padding mask, softmax in float32, dense back to C.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Bloom;

/// <summary>The attention of one BLOOM block.</summary>
public sealed class BloomAttention
{
    private readonly BloomConfig _config;
    private readonly int _layer;
    private readonly Linear _queryKeyValue;
    private readonly Linear _dense;
    private readonly float[] _slopes;

    /// <summary>Binds query_key_value and dense under <paramref name="weights"/> (block <paramref name="layer"/>).</summary>
    public BloomAttention(Weights weights, BloomConfig config, int layer)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        (_config, _layer) = (config, layer);
        _queryKeyValue = new Linear(weights.Scope("query_key_value"), config.HiddenSize, 3 * config.HiddenSize);
        _dense = new Linear(weights.Scope("dense"), config.HiddenSize, config.HiddenSize);
        _slopes = AttentionMasks.AlibiSlopes(config.Heads);
    }

    /// <summary>x (B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, DecoderStep step, out Tensor? probabilities)
    {
        ArgumentNullException.ThrowIfNull(step);
        int b = x.Size(0), t = x.Size(1), h = _config.Heads, d = _config.HeadDim;
        var fused = _queryKeyValue.Forward(x).Reshape(b, t, h, 3, d); // (B, T, H, 3, D)
        var q = fused.Narrow(3, 0, 1).Squeeze(3).Transpose(1, 2); // (B, H, T, D)
        var k = fused.Narrow(3, 1, 1).Squeeze(3).Transpose(1, 2); // (B, H, T, D)
        var v = fused.Narrow(3, 2, 1).Squeeze(3).Transpose(1, 2); // (B, H, T, D)
        if (step.Cache is not null)
        {
            (k, v) = step.Cache.Append(_layer, k, v); // (B, H, S, D)
        }

        var bias = BloomAlibi.Bias(step.KeyMask, _slopes) + step.Mask; // (B, H, 1, S) + (B, 1, T, S) → (B, H, T, S)
        var (y, p) = AttentionCore.Attend(q, k, v, bias, 1f / MathF.Sqrt(d), step.OutputAttentions); // (B, H, T, D)
        probabilities = p;
        return _dense.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }
}
