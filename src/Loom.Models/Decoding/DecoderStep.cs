// What every layer of a decoder-only model needs for one forward call, built once per call: the additive causal +
// padding mask (HF transformers' _prepare_4d_causal_attention_mask_with_cache_position, with finfo(float32).min for
// hidden positions, never −∞), the position ids (HF's default cache_position-based arange, or the caller's), the
// key/value cache and whether attention probabilities are wanted.
using Loom.Core;

namespace Loom.Models.Decoding;

/// <summary>The per-call context shared by all layers of a decoder-only model.</summary>
public sealed class DecoderStep
{
    private DecoderStep(int batch, int length, int pastLength, IntTensor keyMask, IntTensor positionIds, Tensor mask,
        DecoderCache? cache, bool outputAttentions)
    {
        (Batch, Length, PastLength, KeyMask, PositionIds, Mask, Cache, OutputAttentions) =
            (batch, length, pastLength, keyMask, positionIds, mask, cache, outputAttentions);
    }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>T, the number of new positions.</summary>
    public int Length { get; }

    /// <summary>Positions already in the cache (0 without one).</summary>
    public int PastLength { get; }

    /// <summary>S = <see cref="PastLength"/> + <see cref="Length"/>, the number of keys.</summary>
    public int KeyLength => PastLength + Length;

    /// <summary>(B, S) attention mask over every key, 1 = token, 0 = padding.</summary>
    public IntTensor KeyMask { get; }

    /// <summary>(B, T) absolute positions of the new tokens.</summary>
    public IntTensor PositionIds { get; }

    /// <summary>(B, 1, T, S) additive mask: 0 where query i may see key j, <see cref="AttentionMasks.Masked"/> otherwise.</summary>
    public Tensor Mask { get; }

    /// <summary>The cache to read and append to, or null.</summary>
    public DecoderCache? Cache { get; }

    /// <summary>Whether layers return their attention probabilities.</summary>
    public bool OutputAttentions { get; }

    /// <summary>
    /// Builds the context for <paramref name="inputIds"/> (B, T). <paramref name="attentionMask"/> covers cached and new
    /// positions, (B, S) (default: all ones); <paramref name="positionIds"/> (B, T) defaults to S − T … S − 1 for every row.
    /// </summary>
    public static DecoderStep Create(IntTensor inputIds, IntTensor? attentionMask, IntTensor? positionIds, DecoderCache? cache,
        bool outputAttentions)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.Rank != 2 || inputIds.Shape[1] == 0)
        {
            throw new TensorShapeException($"Decoder input: expected input_ids (B, T) with T > 0; found [{string.Join(", ", inputIds.Shape)}].");
        }

        int b = inputIds.Shape[0], t = inputIds.Shape[1];
        var past = cache?.Length ?? 0;
        var s = past + t;
        if (attentionMask is not null && (attentionMask.Rank != 2 || attentionMask.Shape[0] != b || attentionMask.Shape[1] != s))
        {
            throw new TensorShapeException($"Decoder input: expected attention_mask (B, S) = [{b}, {s}] (cached {past} + new {t}); found [{string.Join(", ", attentionMask.Shape)}].");
        }

        if (positionIds is not null && (positionIds.Rank != 2 || positionIds.Shape[0] != b || positionIds.Shape[1] != t))
        {
            throw new TensorShapeException($"Decoder input: expected position_ids (B, T) = [{b}, {t}]; found [{string.Join(", ", positionIds.Shape)}].");
        }

        var keyMask = attentionMask ?? IntTensor.FromArray(Enumerable.Repeat(1, b * s).ToArray(), b, s);
        var positions = positionIds ?? DefaultPositions(b, t, past);
        return new DecoderStep(b, t, past, keyMask, positions, BuildMask(keyMask, b, t, past), cache, outputAttentions);
    }

    private static IntTensor DefaultPositions(int batch, int length, int past)
    {
        var values = new int[batch * length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = past + (i % length);
        }

        return IntTensor.FromArray(values, batch, length);
    }

    private static Tensor BuildMask(IntTensor keyMask, int batch, int length, int past)
    {
        var s = past + length;
        var keys = keyMask.ToArray();
        var values = new float[batch * length * s];
        for (var row = 0; row < batch; row++)
        {
            for (var i = 0; i < length; i++)
            {
                for (var j = 0; j < s; j++)
                {
                    var visible = j <= past + i && keys[(row * s) + j] != 0;
                    values[(((row * length) + i) * s) + j] = visible ? 0f : AttentionMasks.Masked;
                }
            }
        }

        return Tensor.FromArray(values, batch, 1, length, s); // (B, 1, T, S)
    }
}
