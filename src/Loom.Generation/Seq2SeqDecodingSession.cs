// One encoder-decoder batch between decoding steps: the encoder output (R, S, C) and its padding mask, which the
// decoder attends to at every step, and the Seq2SeqCache. Reordering rows (beam search, HF EncoderDecoderCache.
// reorder_cache) moves the self-attention cache; the cross-attention keys/values and the encoder output depend only on
// the input a row belongs to, so they are moved only when a reorder maps a row to another input's row.
using Loom.Core;
using Loom.Models.Seq2Seq;

namespace Loom.Generation;

/// <summary>The decoder side of an encoder-decoder batch in flight.</summary>
internal sealed class Seq2SeqDecodingSession : IDecodingSession
{
    private readonly ISeq2SeqLm _model;
    private Tensor _memory;
    private int[][] _memoryMask;
    private int[] _inputOf;
    private Seq2SeqCache _cache;

    /// <summary>
    /// Starts from the encoder output <paramref name="memory"/> (R, S, C), its mask rows (R × S) and the input each row
    /// belongs to; the decoder self-attention cache grows, or holds exactly <paramref name="cacheCapacity"/> positions.
    /// </summary>
    public Seq2SeqDecodingSession(ISeq2SeqLm model, Tensor memory, int[][] memoryMask, int[] inputOf, int? cacheCapacity)
    {
        (_model, _memory, _memoryMask, _inputOf) = (model, memory, memoryMask, inputOf);
        _cache = new Seq2SeqCache(model.DecoderLayerCount, cacheCapacity);
    }

    /// <inheritdoc/>
    public float[] Step(IReadOnlyList<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var rows = _inputOf.Length;
        if (tokens.Count != rows)
        {
            throw new ArgumentException($"Decoding step: expected {rows} tokens (one per row); found {tokens.Count}.", nameof(tokens));
        }

        using var noGrad = Tensor.NoGrad();
        var ids = IntTensor.FromArray([.. tokens], rows, 1); // (R, 1)
        var mask = IntTensor.FromArray([.. _memoryMask.SelectMany(r => r)], rows, _memoryMask[0].Length); // (R, S)
        return _model.Decode(ids, _memory, mask, null, _cache).Logits.ToArray(); // (R, 1, V)
    }

    /// <inheritdoc/>
    public void Reorder(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Any(r => (uint)r >= (uint)_inputOf.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Reorder: expected row indices in [0, {_inputOf.Length}).");
        }

        var inputOf = rows.Select(r => _inputOf[r]).ToArray();
        _cache.SelfAttention.Reorder(rows); // (R', H, T, D), in place where it can
        if (!inputOf.SequenceEqual(_inputOf))
        {
            // Rows moved to another input's row: the encoder output and its cross-attention projections follow them.
            var index = IntTensor.FromArray([.. rows], rows.Count);
            var moved = new Seq2SeqCache(_cache.Layers, _cache.SelfAttention.Capacity);
            using (Tensor.NoGrad())
            {
                for (var layer = 0; layer < _cache.Layers; layer++)
                {
                    moved.SelfAttention.Append(layer, _cache.SelfAttention.Keys(layer)!, _cache.SelfAttention.Values(layer)!);
                    var (keys, values) = _cache.CrossAttention(layer, () => throw new InvalidOperationException("Reorder before the first decoding step: no cross-attention keys."));
                    moved.CrossAttention(layer, () => (keys.IndexSelect(0, index), values.IndexSelect(0, index))); // (R', H, S, D)
                }

                _memory = _memory.IndexSelect(0, index); // (R', S, C)
            }

            _cache = moved;
        }

        _memoryMask = [.. rows.Select(r => _memoryMask[r])];
        _inputOf = inputOf;
    }
}
