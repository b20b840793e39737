// Incremental decoding over an ICausalLm with a growing DecoderCache, as HF GenerationMixin drives a decoder-only model:
// the prompt is run once (prefill), then one token per row per step; the attention mask grows by one column of ones;
// position ids follow HF prepare_inputs_for_generation: cumsum(mask) − 1 with padded positions set to 1, so a
// left-padded row counts its positions from its first real token. BLOOM ignores them (ALiBi reads the mask).
// Beam search reorders the cache rows in place (HF _reorder_cache / Cache.reorder_cache). The cache grows, or is a
// fixed-capacity buffer per layer (HF StaticCache) when a capacity is given.
using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>One batch being decoded: its cache, mask and the logits of the last position of each row.</summary>
public sealed class CausalDecodingSession : IDecodingSession
{
    private readonly ICausalLm _model;
    private readonly int? _cacheCapacity;
    private DecoderCache _cache;
    private List<int>[] _mask;
    private float[] _logits = []; // the next-token logits handed out, reused from step to step

    /// <summary>
    /// Starts a session for <paramref name="model"/>; call <see cref="Prefill"/> first. With
    /// <paramref name="cacheCapacity"/> the KV cache holds exactly that many positions (prompt included) and is never
    /// reallocated; a longer run throws <see cref="Loom.Nn.KvCacheOverflowException"/>.
    /// </summary>
    public CausalDecodingSession(ICausalLm model, int? cacheCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (cacheCapacity is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheCapacity), cacheCapacity, "KV cache capacity: expected a positive number of positions.");
        }

        _model = model;
        _cacheCapacity = cacheCapacity;
        _cache = new DecoderCache(model.LayerCount, cacheCapacity);
        _mask = [];
    }

    /// <summary>V.</summary>
    public int VocabSize => _model.VocabSize;

    /// <summary>The final-normed hidden states (B, T, C) of the last forward pass (prefill or step), or null before one.</summary>
    public Tensor? LastHiddenState { get; private set; }

    /// <summary>Runs the prompt rows and returns the last-position logits (B·V, row-major; valid until the next call).</summary>
    public float[] Prefill(int[][] ids, int[][] mask)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(mask);
        _cache = new DecoderCache(_model.LayerCount, _cacheCapacity);
        _mask = [.. mask.Select(r => r.ToList())];
        return Run(ids);
    }

    /// <summary>Feeds one new token per row and returns the next logits (B·V; valid until the next call).</summary>
    public float[] Step(IReadOnlyList<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count != _mask.Length)
        {
            throw new ArgumentException($"Decoding step: expected {_mask.Length} tokens (one per row); found {tokens.Count}.", nameof(tokens));
        }

        foreach (var row in _mask)
        {
            row.Add(1);
        }

        return Run([.. tokens.Select(t => new[] { t })]);
    }

    /// <summary>Keeps the rows <paramref name="rows"/> (in that order) of the cache and mask: row i becomes old row rows[i].</summary>
    public void Reorder(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_cache.Length == 0)
        {
            throw new InvalidOperationException("Reorder before Prefill: the cache is empty.");
        }

        _cache.Reorder(rows);
        _mask = [.. rows.Select(r => _mask[r].ToList())];
    }

    /// <summary>HF position ids for the last <paramref name="length"/> positions of each mask row.</summary>
    public static int[] PositionIds(IReadOnlyList<IReadOnlyList<int>> mask, int length)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new int[mask.Count * length];
        for (var row = 0; row < mask.Count; row++)
        {
            var m = mask[row];
            var sum = 0;
            for (var j = 0; j < m.Count; j++)
            {
                sum += m[j];
                var column = j - (m.Count - length);
                if (column >= 0)
                {
                    result[(row * length) + column] = m[j] == 0 ? 1 : sum - 1;
                }
            }
        }

        return result;
    }

    private float[] Run(int[][] ids)
    {
        int b = ids.Length, t = ids[0].Length, s = _mask[0].Count;
        var input = IntTensor.FromArray([.. ids.SelectMany(r => r)], b, t);
        var mask = IntTensor.FromArray([.. _mask.SelectMany(r => r)], b, s);
        var positions = IntTensor.FromArray(PositionIds(_mask, t), b, t);
        using var noGrad = Tensor.NoGrad();
        var output = _model.Forward(input, mask, positions, _cache);
        LastHiddenState = output.LastHiddenState; // (B, T, C)
        var last = output.Logits.Narrow(1, t - 1, 1).Contiguous(); // (B, 1, V)
        if (_logits.Length != last.Count)
        {
            _logits = new float[last.Count];
        }

        last.AsSpan().CopyTo(_logits);
        return _logits;
    }
}
