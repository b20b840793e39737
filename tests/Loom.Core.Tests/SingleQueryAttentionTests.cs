using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>
/// ScaledDotProductAttention with one query row and nothing recorded (a decoding step) takes the single-query kernel:
/// it must agree with the general path (taken when a gradient is recorded) for grouped-query heads, key/value cache
/// views, masks broadcast over heads and batch, and ALiBi, and give the same bits at any thread count.
/// </summary>
public class SingleQueryAttentionTests
{
    public static TheoryData<int> KeyLengths => [1, 17, 600, 5000];

    [Theory]
    [MemberData(nameof(KeyLengths))]
    public void Cache_views_with_grouped_heads_padding_and_alibi_match_the_general_path(int tk)
    {
        const int b = 2, heads = 6, kvHeads = 2, d = 16, dv = 24, capacity = 5008;
        var q = Normal(1, b, 1, heads, d); // (B, 1, H, D), read as (B, H, 1, D)
        var keyCache = Normal(2, b, kvHeads, capacity, d); // (B, KvH, capacity, D), the first Tk positions used
        var values = Normal(3, b, tk, kvHeads, dv); // (B, Tk, KvH, Dv), read as (B, KvH, Tk, Dv)
        var tokens = Enumerable.Range(0, b * tk).Select(i => i % 5 == 3 && i % tk != tk - 1 ? 0 : 1).ToArray();
        var padding = AttentionMasks.Padding(IntTensor.FromArray(tokens, b, tk)); // (B, 1, 1, Tk)
        // Odd Tk: the padding mask broadcast over heads; even Tk: with BLOOM's ALiBi bias added, (B, H, 1, Tk).
        var bias = tk % 2 == 1 ? padding : padding + AttentionMasks.Alibi(AttentionMasks.AlibiSlopes(heads), 1, tk);
        Tensor Attend(Tensor query, Tensor keys, Tensor vals) =>
            Tensor.ScaledDotProductAttention(query.Transpose(1, 2), keys.Narrow(2, 0, tk), vals.Transpose(1, 2), bias, causal: true);

        var single = KernelThreads.With(1, () => Attend(q, keyCache, values));
        var general = Recorded(Attend, q, keyCache, values);
        Assert.Equal([b, heads, 1, dv], single.Shape.ToArray());
        AssertClose(general.ToArray(), single.ToArray(), 1e-6f, 1e-5f);
        foreach (var threads in new[] { 2, 3 })
        {
            Assert.Equal(single.ToArray(), KernelThreads.With(threads, () => Attend(q, keyCache, values)).ToArray());
        }
    }

    [Fact]
    public void Without_a_mask_and_with_a_full_mask_row_it_matches_the_general_path()
    {
        var (q, k, v) = (Normal(4, 3, 4, 1, 8), Normal(5, 3, 4, 9, 8), Normal(6, 3, 4, 9, 5));
        AssertClose(Recorded((x, y, z) => Tensor.ScaledDotProductAttention(x, y, z, scale: 0.7f), q, k, v).ToArray(),
            Tensor.ScaledDotProductAttention(q, k, v, scale: 0.7f).ToArray(), 1e-6f, 1e-5f);

        var hidden = Tensor.Full(float.NegativeInfinity, 1, 1, 1, 9); // every key masked: each head averages its values
        var averaged = Tensor.ScaledDotProductAttention(q, k, v, hidden);
        AssertClose(v.Mean(2, keepDim: true).ToArray(), averaged.ToArray(), 1e-6f, 1e-5f);
    }

    /// <summary>The same call with the inputs recording a gradient, which keeps the general (probabilities-saving) path.</summary>
    private static Tensor Recorded(Func<Tensor, Tensor, Tensor, Tensor> attend, Tensor q, Tensor k, Tensor v)
    {
        var (rq, rk, rv) = (q.Detach(), k.Detach(), v.Detach());
        rq.RequiresGrad = rk.RequiresGrad = rv.RequiresGrad = true;
        var output = attend(rq, rk, rv);
        Assert.True(output.RequiresGrad);
        return output.Detach();
    }

    private static void AssertClose(float[] expected, float[] actual, float atol, float rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= atol + (rtol * Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, found {actual[i]:R}");
        }
    }

    private static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(new Generator(seed), shape);
}
