// Incremental-decoding key/value cache (the "past_key_values" of Hugging Face transformers' DynamicCache; candle
// llama.rs Cache): per layer, the keys and values of every position already processed, so that a new token only
// computes its own projections and attends over the cached ones.
using Loom.Core;

namespace Loom.Models.Decoding;

/// <summary>
/// Keys and values per layer, each (B, KvH, S, D) after positional rotation, appended to by every forward pass that
/// is given the cache. <see cref="Length"/> is S, the number of positions already cached.
/// </summary>
public sealed class KvCache
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    /// <summary>An empty cache for a model of <paramref name="layers"/> layers.</summary>
    public KvCache(int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Number of layers.</summary>
    public int Layers => _keys.Length;

    /// <summary>Cached positions S (0 when empty); the next token's default position.</summary>
    public int Length => _keys[^1]?.Size(2) ?? 0;

    /// <summary>Cached keys of <paramref name="layer"/>, (B, KvH, S, D), or null when empty.</summary>
    public Tensor? Keys(int layer) => _keys[CheckLayer(layer)];

    /// <summary>Cached values of <paramref name="layer"/>, (B, KvH, S, D), or null when empty.</summary>
    public Tensor? Values(int layer) => _values[CheckLayer(layer)];

    /// <summary>
    /// Appends the new keys/values (B, KvH, T, D) of <paramref name="layer"/> and returns everything cached for it,
    /// (B, KvH, S + T, D).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        CheckLayer(layer);
        var pastKeys = _keys[layer];
        var pastValues = _values[layer];
        if (pastKeys is not null && (pastKeys.Size(0) != keys.Size(0) || pastKeys.Size(1) != keys.Size(1) || pastKeys.Size(3) != keys.Size(3)))
        {
            throw new TensorShapeException($"KvCache layer {layer}: cached keys are [{string.Join(", ", pastKeys.Shape)}] but the new keys are [{string.Join(", ", keys.Shape)}]; batch, heads and head size must match.");
        }

        var allKeys = pastKeys is null ? keys.Contiguous() : Tensor.Concat([pastKeys, keys], 2); // (B, KvH, S + T, D)
        var allValues = pastValues is null ? values.Contiguous() : Tensor.Concat([pastValues!, values], 2); // (B, KvH, S + T, D)
        _keys[layer] = allKeys;
        _values[layer] = allValues;
        return (allKeys, allValues);
    }

    private int CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)_keys.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"KvCache: expected a layer in [0, {_keys.Length}).");
        }

        return layer;
    }
}
