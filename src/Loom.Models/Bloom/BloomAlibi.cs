// ALiBi biases as BLOOM builds them (HF modeling_bloom.build_alibi_tensor; Press et al. 2022): head slope times the key's
// position counted over non-padding tokens, (cumsum(mask) − 1)·mask. Only key positions appear: the query's own
// position would shift a whole softmax row by a constant, which softmax ignores. Slopes follow the paper's schedule,
// interleaved from 2H for head counts that are not a power of two (AttentionMasks.AlibiSlopes).
using Loom.Core;

namespace Loom.Models.Bloom;

/// <summary>Builds BLOOM's (B, H, 1, S) ALiBi bias from the attention mask.</summary>
public static class BloomAlibi
{
    /// <summary>slope_h · position_j for <paramref name="keyMask"/> (B, S) of 1 = token, 0 = padding.</summary>
    public static Tensor Bias(IntTensor keyMask, float[] slopes)
    {
        ArgumentNullException.ThrowIfNull(keyMask);
        ArgumentNullException.ThrowIfNull(slopes);
        int b = keyMask.Shape[0], s = keyMask.Shape[1], h = slopes.Length;
        var mask = keyMask.ToArray();
        var values = new float[b * h * s];
        for (var row = 0; row < b; row++)
        {
            var count = 0;
            for (var j = 0; j < s; j++)
            {
                count += mask[(row * s) + j];
                var position = mask[(row * s) + j] != 0 ? count - 1 : 0;
                for (var head = 0; head < h; head++)
                {
                    values[(((row * h) + head) * s) + j] = slopes[head] * position;
                }
            }
        }

        return Tensor.FromArray(values, b, h, 1, s); // (B, H, 1, S)
    }
}
