// Prefix-LM attention (Raffel et al. 2020, T5 §3.2.1 "prefix LM"; Dong et al. 2019, UniLM; GLM's part A / part B):
// every query sees the whole prefix, positions after the prefix are seen causally, padding is never seen.
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Builds per-example prefix-LM masks.</summary>
public static class PrefixLmMask
{
    /// <summary>
    /// (B, T, T) with 1 where query i may attend key j: j is a real token and (j &lt; prefix(b) or j ≤ i).
    /// </summary>
    public static IntTensor Build(IntTensor prefixLengths, IntTensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(prefixLengths);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (attentionMask.Rank != 2 || prefixLengths.Rank != 1 || prefixLengths.Shape[0] != attentionMask.Shape[0])
        {
            throw new TensorShapeException($"Prefix-LM mask: expected prefix lengths (B) and an attention mask (B, T); found ({string.Join(", ", prefixLengths.Shape)}) and ({string.Join(", ", attentionMask.Shape)}).");
        }

        var (b, t) = (attentionMask.Shape[0], attentionMask.Shape[1]);
        var keys = attentionMask.ToArray();
        var prefixes = prefixLengths.ToArray();
        var mask = new int[b * t * t];
        for (var row = 0; row < b; row++)
        {
            for (var i = 0; i < t; i++)
            {
                for (var j = 0; j < t; j++)
                {
                    var visible = keys[row * t + j] != 0 && (j < prefixes[row] || j <= i);
                    mask[(row * t + i) * t + j] = visible ? 1 : 0;
                }
            }
        }

        return IntTensor.FromArray(mask, b, t, t);
    }
}
