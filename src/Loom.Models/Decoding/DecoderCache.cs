// Incremental-decoding key/value cache of a whole decoder stack (the "past_key_values" of Hugging Face transformers'
// DynamicCache; candle llama.rs Cache): one Loom.Nn.KvCache per layer, so that a new token only computes its own
// projections and attends over the cached ones. Growing by default; with a capacity every layer is a fixed-size
// buffer (HF StaticCache).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Decoding;

/// <summary>
/// One <see cref="KvCache"/> per layer, each holding (B, KvH, S, D) keys and values after positional rotation,
/// appended to by every forward pass that is given the cache. <see cref="Length"/> is S, the number of positions
/// already cached.
/// </summary>
public sealed class DecoderCache
{
    private readonly KvCache[] _layers;

    /// <summary>
    /// An empty cache for a model of <paramref name="layers"/> layers: growing, or with room for exactly
    /// <paramref name="capacity"/> positions per layer (allocated on the first step, never reallocated; more positions
    /// throw <see cref="KvCacheOverflowException"/>).
    /// </summary>
    public DecoderCache(int layers, int? capacity = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        _layers = new KvCache[layers];
        for (var i = 0; i < layers; i++)
        {
            _layers[i] = capacity is { } c ? new KvCache(c) : new KvCache();
        }

        Capacity = capacity;
    }

    /// <summary>The fixed capacity per layer, or null for a growing cache.</summary>
    public int? Capacity { get; }

    /// <summary>Number of layers.</summary>
    public int Layers => _layers.Length;

    /// <summary>Cached positions S (0 when empty); the next token's default position.</summary>
    public int Length => _layers[^1].Length;

    /// <summary>The cache of <paramref name="layer"/>.</summary>
    public KvCache Layer(int layer)
    {
        if ((uint)layer >= (uint)_layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"DecoderCache: expected a layer in [0, {_layers.Length}).");
        }

        return _layers[layer];
    }

    /// <summary>Row i of every layer becomes old row rows[i] (HF reorder_cache for beam search); see <see cref="KvCache.Reorder"/>.</summary>
    public void Reorder(IReadOnlyList<int> rows)
    {
        foreach (var layer in _layers)
        {
            layer.Reorder(rows);
        }
    }

    /// <summary>Cached keys of <paramref name="layer"/>, (B, KvH, S, D), or null when empty.</summary>
    public Tensor? Keys(int layer) => Layer(layer).Keys;

    /// <summary>Cached values of <paramref name="layer"/>, (B, KvH, S, D), or null when empty.</summary>
    public Tensor? Values(int layer) => Layer(layer).Values;

    /// <summary>
    /// Appends the new keys/values (B, KvH, T, D) of <paramref name="layer"/> and returns everything cached for it,
    /// (B, KvH, S + T, D). The first entry is stored contiguous so that it does not pin the projection it was cut from.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        var cache = Layer(layer);
        return cache.Length == 0 ? cache.Append(keys.Contiguous(), values.Contiguous()) : cache.Append(keys, values);
    }
}
