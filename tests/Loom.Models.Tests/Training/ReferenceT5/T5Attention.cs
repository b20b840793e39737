// T5 attention (Raffel et al. 2020; HF modeling_t5.T5Attention): no 1/√D scaling, and in the first layer of each
// stack a learned bias per (relative-position bucket, head) added to the scores and shared by the later layers.
// The scores are composed from primitive ops because that bias needs a gradient (the fused attention treats its
// additive mask as a constant).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Tests.Training.ReferenceT5;

internal sealed class T5Attention
{
    private readonly T5Config _config;
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly Embedding? _relativeBias;
    private readonly bool _bidirectional;

    public T5Attention(Weights weights, T5Config config, bool relativeBias, bool bidirectional)
    {
        _config = config;
        var inner = config.Heads * config.HeadDim;
        _q = new Linear(weights.Scope("q"), config.Channels, inner, bias: false);
        _k = new Linear(weights.Scope("k"), config.Channels, inner, bias: false);
        _v = new Linear(weights.Scope("v"), config.Channels, inner, bias: false);
        _o = new Linear(weights.Scope("o"), inner, config.Channels, bias: false);
        _relativeBias = relativeBias ? new Embedding(weights.Scope("relative_attention_bias"), config.Buckets, config.Heads) : null;
        _bidirectional = bidirectional;
    }

    /// <summary>The (1, H, T, S) learned position bias of this (first) layer.</summary>
    public Tensor PositionBias(int queryLength, int keyLength)
    {
        var buckets = new int[queryLength * keyLength];
        for (var i = 0; i < queryLength; i++)
        {
            for (var j = 0; j < keyLength; j++)
            {
                buckets[(i * keyLength) + j] = Bucket(j - i);
            }
        }

        return _relativeBias!.Forward(IntTensor.FromArray(buckets, queryLength, keyLength)) // (T, S, H)
            .Permute(2, 0, 1).Unsqueeze(0); // (1, H, T, S)
    }

    /// <summary>x (B, T, C), keys/values from source (B, S, C), additive bias broadcastable to (B, H, T, S) → (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor source, Tensor bias)
    {
        var q = AttentionHeads.Split(_q.Forward(x), _config.Heads); // (B, H, T, D)
        var k = AttentionHeads.Split(_k.Forward(source), _config.Heads); // (B, H, S, D)
        var v = AttentionHeads.Split(_v.Forward(source), _config.Heads); // (B, H, S, D)
        var scores = q.Matmul(k.Transpose(2, 3)) + bias; // (B, H, T, S)
        var y = scores.Softmax(-1).Matmul(v); // (B, H, T, D)
        return _o.Forward(AttentionHeads.Merge(y)); // (B, T, C)
    }

    // HF _relative_position_bucket: exact buckets for small distances, logarithmic ones up to max_distance.
    private int Bucket(int relative)
    {
        var (buckets, result) = (_config.Buckets, 0);
        if (_bidirectional)
        {
            buckets /= 2;
            result += relative > 0 ? buckets : 0;
            relative = Math.Abs(relative);
        }
        else
        {
            relative = -Math.Min(relative, 0);
        }

        var maxExact = buckets / 2;
        if (relative < maxExact)
        {
            return result + relative;
        }

        var large = maxExact + (int)(MathF.Log(relative / (float)maxExact) / (float)Math.Log(_config.MaxDistance / (double)maxExact) * (buckets - maxExact));
        return result + Math.Min(large, buckets - 1);
    }
}
