// Incremental-decoding state of an encoder-decoder model (HF transformers' EncoderDecoderCache: a self-attention
// DynamicCache plus cross-attention keys/values computed once from the encoder output and reused at every step).
using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// Per decoder layer: the self-attention keys/values (<see cref="SelfAttention"/>) and the cross-attention
/// keys/values (B, H, S, D) projected from the encoder output on the first step and reused afterwards.
/// </summary>
public sealed class Seq2SeqCache
{
    private readonly Tensor?[] _crossKeys;
    private readonly Tensor?[] _crossValues;

    /// <summary>
    /// An empty cache for a decoder of <paramref name="layers"/> layers; the self-attention cache grows, or holds
    /// exactly <paramref name="selfAttentionCapacity"/> positions (see <see cref="DecoderCache(int, int?)"/>).
    /// </summary>
    public Seq2SeqCache(int layers, int? selfAttentionCapacity = null)
    {
        SelfAttention = new DecoderCache(layers, selfAttentionCapacity);
        _crossKeys = new Tensor?[layers];
        _crossValues = new Tensor?[layers];
    }

    /// <summary>The decoder self-attention cache; its length is the number of decoder positions already processed.</summary>
    public DecoderCache SelfAttention { get; }

    /// <summary>Number of decoder layers.</summary>
    public int Layers => _crossKeys.Length;

    /// <summary>
    /// The cross-attention keys and values of <paramref name="layer"/>: the cached pair, or the result of
    /// <paramref name="project"/> (run once, on the first decoding step) which is then cached.
    /// </summary>
    public (Tensor Keys, Tensor Values) CrossAttention(int layer, Func<(Tensor Keys, Tensor Values)> project)
    {
        ArgumentNullException.ThrowIfNull(project);
        if ((uint)layer >= (uint)_crossKeys.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Seq2SeqCache: expected a layer in [0, {_crossKeys.Length}).");
        }

        if (_crossKeys[layer] is null)
        {
            var (keys, values) = project();
            _crossKeys[layer] = keys.Contiguous();
            _crossValues[layer] = values.Contiguous();
        }

        return (_crossKeys[layer]!, _crossValues[layer]!);
    }
}
