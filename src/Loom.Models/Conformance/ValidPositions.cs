// Which elements of a fixture output are meaningful (shared/fixtures/hf/README.md §3.4: "values at padded positions
// are deterministic but meaningless: compare valid positions only, using the masks in inputs.json"). Layouts follow the
// README's schema: (B, T, …) per-token outputs, hidden states (L + 1, B, T, C), attentions (L, B, H, Tq, Tk).
using Loom.Core;

namespace Loom.Models.Conformance;

/// <summary>Builds, per output, a predicate over flat element indices that is true at valid (unpadded) positions.</summary>
public sealed class ValidPositions
{
    private readonly int[]? _encoderMask;
    private readonly int[]? _decoderMask;
    private readonly bool _encoderDecoder;

    /// <summary>Reads the masks of one case's inputs.</summary>
    public ValidPositions(IReadOnlyDictionary<string, IntTensor> inputs, bool encoderDecoder)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _encoderDecoder = encoderDecoder;
        _encoderMask = inputs.GetValueOrDefault("attention_mask")?.ToArray();
        if (inputs.TryGetValue("decoder_attention_mask", out var decoderMask))
        {
            _decoderMask = decoderMask.ToArray();
        }
        else if (encoderDecoder && inputs.TryGetValue("labels", out var labels) && labels.Rank == 2)
        {
            // Decoder inputs derived from labels: positions whose label is −100 are padding.
            _decoderMask = [.. labels.ToArray().Select(l => l == -100 ? 0 : 1)];
        }
    }

    /// <summary>
    /// The validity of each element of output <paramref name="name"/> with <paramref name="shape"/>, or null when every
    /// element counts (sequence-level outputs such as pooled states, classification logits and losses).
    /// </summary>
    public bool[]? For(string name, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        int batchDim, queryDim, keyDim = -1;
        if (name.EndsWith("attentions", StringComparison.Ordinal) && shape.Count == 5)
        {
            (batchDim, queryDim, keyDim) = (1, 3, 4); // (L, B, H, Tq, Tk)
        }
        else if (name.EndsWith("hidden_states", StringComparison.Ordinal) && shape.Count == 4)
        {
            (batchDim, queryDim) = (1, 2); // (L + 1, B, T, C)
        }
        else if (shape.Count >= 3 || (shape.Count == 2 && (name.EndsWith("start_logits", StringComparison.Ordinal) || name.EndsWith("end_logits", StringComparison.Ordinal))))
        {
            (batchDim, queryDim) = (0, 1); // (B, T, …)
        }
        else
        {
            return null;
        }

        var decoderSide = name.StartsWith("decoder_", StringComparison.Ordinal) || name == "cross_attentions" || (_encoderDecoder && name == "logits");
        var queryMask = decoderSide ? _decoderMask : _encoderMask;
        var keyMask = name == "cross_attentions" ? _encoderMask : queryMask;
        if (queryMask is null && keyMask is null)
        {
            return null;
        }

        var strides = new int[shape.Count];
        var count = 1;
        for (var d = shape.Count - 1; d >= 0; d--)
        {
            strides[d] = count;
            count *= shape[d];
        }

        var valid = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var b = i / strides[batchDim] % shape[batchDim];
            var q = i / strides[queryDim] % shape[queryDim];
            var ok = Lookup(queryMask, b, q, shape[queryDim], name);
            if (ok && keyDim >= 0)
            {
                ok = Lookup(keyMask, b, i / strides[keyDim] % shape[keyDim], shape[keyDim], name);
            }

            valid[i] = ok;
        }

        return valid;
    }

    private static bool Lookup(int[]? mask, int row, int position, int length, string name)
    {
        if (mask is null)
        {
            return true;
        }

        if (mask.Length % length != 0 || (row + 1) * length > mask.Length)
        {
            throw new InvalidDataException($"Output '{name}': its sequence length {length} does not match the attention mask of {mask.Length} elements.");
        }

        return mask[(row * length) + position] != 0;
    }
}
