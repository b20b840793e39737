// Key/value cache for incremental decoding (as HF's DynamicCache / llama2.c's key_cache): the keys and values of the
// tokens seen so far, per attention layer, grown along the time dimension.
using Loom.Core;

namespace Loom.Nn;

/// <summary>The cached (B, KvH, S, D) keys and values of one attention layer.</summary>
public sealed class KvCache
{
    /// <summary>Cached keys (B, KvH, S, D), or null while empty.</summary>
    public Tensor? Keys { get; private set; }

    /// <summary>Cached values (B, KvH, S, D), or null while empty.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>S, the number of cached positions.</summary>
    public int Length => Keys?.Size(2) ?? 0;

    /// <summary>Appends new keys and values (B, KvH, T, D) and returns the whole cache (B, KvH, S + T, D).</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (Keys is not null && (keys.Size(0) != Keys.Size(0) || keys.Size(1) != Keys.Size(1) || keys.Size(3) != Keys.Size(3)))
        {
            throw new TensorShapeException($"KvCache: new keys [{string.Join(", ", keys.Shape)}] do not continue the cache [{string.Join(", ", Keys.Shape)}] (B, KvH and D must match).");
        }

        Keys = Keys is null ? keys : Tensor.Concat([Keys, keys], 2); // (B, KvH, S + T, D)
        Values = Values is null ? values : Tensor.Concat([Values!, values], 2); // (B, KvH, S + T, D)
        return (Keys, Values);
    }

    /// <summary>Forgets every cached position.</summary>
    public void Clear() => (Keys, Values) = (null, null);
}
