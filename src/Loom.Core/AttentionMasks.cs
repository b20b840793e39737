// Additive attention masks: 0 where a query may attend, float.MinValue (the most negative finite float, never −∞)
// where it may not, shaped to broadcast against (B, H, Tq, Tk). ALiBi biases follow Press et al. 2022 ("Train Short,
// Test Long"), with the slope schedule of the reference implementation for head counts that are not a power of two.
namespace Loom.Core;

/// <summary>Builders for the masks and biases taken by <see cref="Tensor.ScaledDotProductAttention"/>.</summary>
public static class AttentionMasks
{
    /// <summary>The value of a masked position.</summary>
    public const float Masked = float.MinValue;

    /// <summary>(1, 1, Tq, Tk): query i sees keys j ≤ i + Tk − Tq.</summary>
    public static Tensor Causal(int queryLength, int keyLength) =>
        Build(queryLength, keyLength, (i, j) => j <= i + keyLength - queryLength);

    /// <summary>(1, 1, T, T) prefix-LM mask: every query sees the first <paramref name="prefixLength"/> keys, the rest causally.</summary>
    public static Tensor Prefix(int prefixLength, int length) =>
        Build(length, length, (i, j) => j < prefixLength || j <= i);

    /// <summary>
    /// (B, 1, T, T) per-example prefix-LM mask: in row b, query i sees key j when j is a token of
    /// <paramref name="attentionMask"/> (B, T) (1 = token, 0 = padding) and j &lt; prefixLengths[b] or j ≤ i (GLM's part A
    /// bidirectional, part B causal).
    /// </summary>
    public static Tensor Prefix(IntTensor prefixLengths, IntTensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(prefixLengths);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (attentionMask.Rank != 2 || prefixLengths.Rank != 1 || prefixLengths.ShapeArray[0] != attentionMask.ShapeArray[0])
        {
            throw new TensorShapeException($"Prefix mask: expected prefix lengths (B) and an attention mask (B, T); found {ShapeMath.Format(prefixLengths.ShapeArray)} and {ShapeMath.Format(attentionMask.ShapeArray)}.");
        }

        var (batch, length) = (attentionMask.ShapeArray[0], attentionMask.ShapeArray[1]);
        var values = new float[batch * length * length];
        for (var b = 0; b < batch; b++)
        {
            var prefix = prefixLengths.Data[b];
            var keys = attentionMask.Data.AsSpan(b * length, length);
            for (var i = 0; i < length; i++)
            {
                for (var j = 0; j < length; j++)
                {
                    var visible = keys[j] != 0 && (j < prefix || j <= i);
                    values[(((b * length) + i) * length) + j] = visible ? 0f : Masked;
                }
            }
        }

        return Tensor.FromArray(values, batch, 1, length, length);
    }

    /// <summary>(B, 1, 1, Tk) from an HF attention_mask (B, Tk) of 1 = token, 0 = padding.</summary>
    public static Tensor Padding(IntTensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (attentionMask.Rank != 2)
        {
            throw new TensorShapeException($"Padding mask: expected an attention mask (B, Tk); found {ShapeMath.Format(attentionMask.ShapeArray)}.");
        }

        var values = new float[attentionMask.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = attentionMask.Data[i] != 0 ? 0f : Masked;
        }

        return Tensor.FromArray(values, attentionMask.ShapeArray[0], 1, 1, attentionMask.ShapeArray[1]);
    }

    /// <summary>ALiBi head slopes: 2^(−8h/H) for H a power of two, interleaved from 2H otherwise.</summary>
    public static float[] AlibiSlopes(int heads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        var closest = 1 << (int)Math.Floor(Math.Log2(heads));
        var slopes = new List<float>();
        var baseSlope = Math.Pow(2, -8d / closest);
        for (var i = 1; i <= closest; i++)
        {
            slopes.Add((float)Math.Pow(baseSlope, i));
        }

        var extraBase = Math.Pow(2, -4d / closest);
        for (var i = 1; slopes.Count < heads; i += 2)
        {
            slopes.Add((float)Math.Pow(extraBase, i));
        }

        return [.. slopes];
    }

    /// <summary>
    /// (1, H, Tq, Tk) ALiBi bias −slope_h · |j − i′| with i′ = i + Tk − Tq the query's absolute position. Under a causal
    /// mask this is Press et al.'s slope_h · (j − i′); for keys after the query (encoders, prefix-LM part A) the penalty
    /// grows with distance on both sides instead of favouring later keys.
    /// </summary>
    public static Tensor Alibi(float[] slopes, int queryLength, int keyLength)
    {
        ArgumentNullException.ThrowIfNull(slopes);
        var values = new float[slopes.Length * queryLength * keyLength];
        for (var h = 0; h < slopes.Length; h++)
        {
            for (var i = 0; i < queryLength; i++)
            {
                for (var j = 0; j < keyLength; j++)
                {
                    values[(((h * queryLength) + i) * keyLength) + j] = -slopes[h] * Math.Abs(j - (i + keyLength - queryLength));
                }
            }
        }

        return Tensor.FromArray(values, 1, slopes.Length, queryLength, keyLength);
    }

    private static Tensor Build(int queryLength, int keyLength, Func<int, int, bool> visible)
    {
        var values = new float[queryLength * keyLength];
        for (var i = 0; i < queryLength; i++)
        {
            for (var j = 0; j < keyLength; j++)
            {
                values[(i * keyLength) + j] = visible(i, j) ? 0f : Masked;
            }
        }

        return Tensor.FromArray(values, 1, 1, queryLength, keyLength);
    }
}
