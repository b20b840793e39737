// T5's relative position bias (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a Unified
// Text-to-Text Transformer", §2.1; HF modeling_t5.T5Attention._relative_position_bucket / compute_bias): a learned scalar
// per (bucket, head) added to the attention scores; exact buckets for small distances, logarithmic ones up to
// max_distance; the encoder's buckets are bidirectional (half for each sign), the decoder's only look back.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary><c>relative_attention_bias</c> (buckets, H) of block 0, shared by every block of its stack.</summary>
public sealed class T5RelativePositionBias
{
    private readonly Embedding _table;
    private readonly bool _bidirectional;
    private readonly int _buckets;
    private readonly int _maxDistance;

    /// <summary>Binds <c>weight</c> (buckets, H) under <paramref name="weights"/>.</summary>
    public T5RelativePositionBias(Weights weights, T5Config config, bool bidirectional)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _table = new Embedding(weights, config.RelativeAttentionNumBuckets, config.Heads, config.NormalInit(config.DModel));
        _bidirectional = bidirectional;
        _buckets = config.RelativeAttentionNumBuckets;
        _maxDistance = config.RelativeAttentionMaxDistance;
    }

    /// <summary>
    /// The bucket of <paramref name="relativePosition"/> = key position − query position, computed like HF (the
    /// logarithmic part in float32, truncated toward zero).
    /// </summary>
    public static int Bucket(int relativePosition, bool bidirectional, int numBuckets, int maxDistance)
    {
        var bucket = 0;
        if (bidirectional)
        {
            numBuckets /= 2;
            bucket += relativePosition > 0 ? numBuckets : 0;
            relativePosition = Math.Abs(relativePosition);
        }
        else
        {
            relativePosition = -Math.Min(relativePosition, 0);
        }

        var maxExact = numBuckets / 2;
        if (relativePosition < maxExact)
        {
            return bucket + relativePosition;
        }

        var scaled = MathF.Log((float)relativePosition / maxExact) / (float)Math.Log((double)maxDistance / maxExact) * (numBuckets - maxExact);
        return bucket + Math.Min(maxExact + (int)scaled, numBuckets - 1);
    }

    /// <summary>
    /// (1, H, T, S) bias for <paramref name="queryLength"/> queries at absolute positions
    /// <paramref name="queryOffset"/> … and <paramref name="keyLength"/> keys at 0 … S − 1.
    /// </summary>
    public Tensor Forward(int queryLength, int keyLength, int queryOffset = 0)
    {
        var buckets = new int[queryLength * keyLength];
        for (var i = 0; i < queryLength; i++)
        {
            for (var j = 0; j < keyLength; j++)
            {
                buckets[(i * keyLength) + j] = Bucket(j - (queryOffset + i), _bidirectional, _buckets, _maxDistance);
            }
        }

        return _table.Forward(IntTensor.FromArray(buckets, queryLength, keyLength)) // (T, S, H)
            .Permute(2, 0, 1) // (H, T, S)
            .Unsqueeze(0); // (1, H, T, S)
    }
}
