// Key/value cache for incremental decoding (as HF's DynamicCache / llama2.c's key_cache): the keys and values of the
// tokens seen so far, per attention layer, grown along the time dimension. Two modes: growing (as HF DynamicCache) and
// fixed capacity (as HF StaticCache / llama2.c: one (B, KvH, capacity, D) buffer allocated on the first append, new
// positions written in place, the cache handed out as a view of its first S positions, an error past the capacity).
// A growing cache of tensors without gradient works like the fixed one over a buffer whose capacity doubles when full
// (as a List<T>), so a decoding step copies only its own new positions, not the whole cache; with gradient it
// concatenates, keeping the graph. Beam search reorders rows in place (HF Cache.reorder_cache) and copies only the
// rows that change.
using Loom.Core;

namespace Loom.Nn;

/// <summary>The cached (B, KvH, S, D) keys and values of one attention layer.</summary>
public sealed class KvCache
{
    /// <summary>Room of the first buffer of a growing cache, in positions, beyond the first append.</summary>
    private const int FirstGrowth = 64;

    private Tensor? _keyBuffer; // fixed mode, or growing without gradient: (B, KvH, room, D)
    private Tensor? _valueBuffer; // (B, KvH, room, Dv)
    private bool _owned; // growing mode by concatenation: Keys/Values were allocated here (not the caller's tensors), so rows may be rewritten

    /// <summary>A growing cache.</summary>
    public KvCache()
    {
    }

    /// <summary>
    /// A fixed-capacity cache for at most <paramref name="capacity"/> positions, allocated once on the first append and
    /// never reallocated while it grows (inference only: the stored keys and values carry no gradient).
    /// </summary>
    public KvCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>The fixed capacity, or null for a growing cache.</summary>
    public int? Capacity { get; }

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
        if (keys.Rank != 4 || values.Rank != 4 || keys.Size(0) != values.Size(0) || keys.Size(1) != values.Size(1) || keys.Size(2) != values.Size(2))
        {
            throw new TensorShapeException($"KvCache: expected keys (B, KvH, T, D) and values (B, KvH, T, Dv) of one B, KvH and T; found [{string.Join(", ", keys.Shape)}] and [{string.Join(", ", values.Shape)}].");
        }

        if (Keys is not null && (keys.Size(0) != Keys.Size(0) || keys.Size(1) != Keys.Size(1) || keys.Size(3) != Keys.Size(3) || values.Size(3) != Values!.Size(3)))
        {
            throw new TensorShapeException($"KvCache: new keys [{string.Join(", ", keys.Shape)}] do not continue the cache [{string.Join(", ", Keys.Shape)}] (B, KvH and D must match).");
        }

        if (Capacity is { } capacity)
        {
            return AppendInPlace(keys, values, capacity);
        }

        if (!keys.RequiresGrad && !values.RequiresGrad && (Keys is null || _keyBuffer is not null))
        {
            return AppendInPlace(keys, values, Room(keys.Size(2)));
        }

        _keyBuffer = _valueBuffer = null;
        _owned = Keys is not null;
        Keys = Keys is null ? keys : Tensor.Concat([Keys, keys], 2); // (B, KvH, S + T, D)
        Values = Values is null ? values : Tensor.Concat([Values!, values], 2); // (B, KvH, S + T, D)
        return (Keys, Values);
    }

    /// <summary>
    /// Keeps the cache rows <paramref name="rows"/> in that order: row i becomes old row rows[i] (rows may repeat or be
    /// dropped). Rows that keep their place are not copied; with the same row count the others are rewritten in place.
    /// </summary>
    public void Reorder(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Keys is null)
        {
            throw new InvalidOperationException("KvCache: nothing to reorder, the cache is empty.");
        }

        var batch = Keys.Size(0);
        for (var i = 0; i < rows.Count; i++)
        {
            if ((uint)rows[i] >= (uint)batch)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"KvCache reorder: entry {i} names row {rows[i]}; the cache has {batch} rows.");
            }
        }

        var changed = Enumerable.Range(0, rows.Count).Where(i => rows[i] != i).ToArray();
        if (rows.Count == batch && changed.Length == 0)
        {
            return;
        }

        if (_keyBuffer is not null)
        {
            ReorderBuffers(rows, changed, _keyBuffer.Size(2));
            return;
        }

        if (rows.Count == batch && _owned && !Keys.RequiresGrad && !Values!.RequiresGrad)
        {
            var length = Keys.Size(1) * Keys.Size(2);
            ReorderRows(Keys.AsSpan(), length * Keys.Size(3), 1, 0, rows, changed);
            ReorderRows(Values.AsSpan(), length * Values.Size(3), 1, 0, rows, changed);
            return;
        }

        var index = IntTensor.FromArray([.. rows], rows.Count);
        using var noGrad = Tensor.NoGrad();
        (Keys, Values, _owned) = (Keys.IndexSelect(0, index), Values!.IndexSelect(0, index), true); // (B', KvH, S, D)
    }

    /// <summary>Forgets every cached position (a fixed-capacity cache keeps its buffers).</summary>
    public void Clear() => (Keys, Values, _owned) = (null, null, false);

    private (Tensor Keys, Tensor Values) AppendInPlace(Tensor keys, Tensor values, int capacity)
    {
        int b = keys.Size(0), heads = keys.Size(1), t = keys.Size(2), past = Length;
        if (past + t > capacity)
        {
            throw new KvCacheOverflowException($"KvCache: capacity {capacity} positions; {past} cached and {t} more do not fit.");
        }

        if (_keyBuffer is null || _keyBuffer.Size(0) != b || _keyBuffer.Size(1) != heads || _keyBuffer.Size(2) != capacity
            || _keyBuffer.Size(3) != keys.Size(3) || _valueBuffer!.Size(3) != values.Size(3))
        {
            var (oldKeys, oldValues) = (Keys, Values);
            _keyBuffer = Tensor.Zeros(b, heads, capacity, keys.Size(3)); // (B, KvH, capacity, D)
            _valueBuffer = Tensor.Zeros(b, heads, capacity, values.Size(3)); // (B, KvH, capacity, Dv)
            if (past > 0)
            {
                Write(_keyBuffer, oldKeys!, 0); // a growing cache moving to a larger buffer
                Write(_valueBuffer, oldValues!, 0);
            }
        }

        Write(_keyBuffer, keys, past);
        Write(_valueBuffer!, values, past);
        Keys = _keyBuffer.Narrow(2, 0, past + t); // (B, KvH, S + T, D), a view: no copy
        Values = _valueBuffer!.Narrow(2, 0, past + t); // (B, KvH, S + T, Dv)
        return (Keys, Values);
    }

    /// <summary>
    /// The buffer room of a growing cache for <paramref name="more"/> new positions: the current room while they fit,
    /// else twice the positions needed (at least <see cref="FirstGrowth"/> beyond them).
    /// </summary>
    private int Room(int more)
    {
        var needed = Length + more;
        return _keyBuffer is { } buffer && needed <= buffer.Size(2) ? buffer.Size(2) : Math.Max(2 * needed, needed + FirstGrowth);
    }

    private static void Write(Tensor buffer, Tensor source, int at)
    {
        int rows = source.Size(0) * source.Size(1), t = source.Size(2), d = source.Size(3), capacity = buffer.Size(2);
        ReadOnlySpan<float> from;
        using (Tensor.NoGrad())
        {
            from = source.Contiguous().AsSpan(); // (B·KvH, T, D)
        }

        var to = buffer.AsSpan();
        for (var r = 0; r < rows; r++)
        {
            from.Slice(r * t * d, t * d).CopyTo(to.Slice(((r * capacity) + at) * d, t * d));
        }
    }

    private void ReorderBuffers(IReadOnlyList<int> rows, int[] changed, int capacity)
    {
        int heads = _keyBuffer!.Size(1), length = Length;
        if (rows.Count == _keyBuffer.Size(0))
        {
            ReorderRows(_keyBuffer.AsSpan(), length * _keyBuffer.Size(3), heads, capacity * _keyBuffer.Size(3), rows, changed);
            ReorderRows(_valueBuffer!.AsSpan(), length * _valueBuffer.Size(3), heads, capacity * _valueBuffer.Size(3), rows, changed);
        }
        else
        {
            // A new row count (e.g. candidates expanded per row): a new buffer of the same capacity, gathered once.
            var index = IntTensor.FromArray([.. rows], rows.Count);
            using var noGrad = Tensor.NoGrad();
            _keyBuffer = _keyBuffer.IndexSelect(0, index); // (B', KvH, capacity, D)
            _valueBuffer = _valueBuffer!.IndexSelect(0, index); // (B', KvH, capacity, Dv)
        }

        Keys = _keyBuffer.Narrow(2, 0, length); // (B', KvH, S, D)
        Values = _valueBuffer!.Narrow(2, 0, length); // (B', KvH, S, Dv)
    }

    /// <summary>
    /// Row i ← old row rows[i] for every i in <paramref name="changed"/>, in place. A row is <paramref name="blocks"/>
    /// runs of <paramref name="blockLength"/> floats, <paramref name="blockStride"/> apart (the heads of one batch row).
    /// Old rows that are read after being overwritten are saved first.
    /// </summary>
    private static void ReorderRows(Span<float> data, int blockLength, int blocks, int blockStride, IReadOnlyList<int> rows, int[] changed)
    {
        var rowStride = blocks == 1 ? blockLength : blocks * blockStride;
        var overwritten = changed.ToHashSet();
        var saved = new Dictionary<int, float[]>();
        foreach (var source in changed.Select(i => rows[i]).Where(overwritten.Contains).Distinct())
        {
            var copy = new float[blocks * blockLength];
            for (var h = 0; h < blocks; h++)
            {
                data.Slice((source * rowStride) + (h * blockStride), blockLength).CopyTo(copy.AsSpan(h * blockLength));
            }

            saved[source] = copy;
        }

        foreach (var i in changed)
        {
            var source = rows[i];
            for (var h = 0; h < blocks; h++)
            {
                ReadOnlySpan<float> from = saved.TryGetValue(source, out var copy)
                    ? copy.AsSpan(h * blockLength, blockLength)
                    : data.Slice((source * rowStride) + (h * blockStride), blockLength);
                from.CopyTo(data.Slice((i * rowStride) + (h * blockStride), blockLength));
            }
        }
    }
}
