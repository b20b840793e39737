using Loom.Core;

namespace Loom.Nn.Tests;

public sealed class AttentionCacheTests
{
    private static MultiHeadAttention Build(ulong seed, bool rotary, bool alibi)
    {
        var w = Weights.Initialize(new Generator(seed));
        return new MultiHeadAttention(new Linear(w.Scope("q"), 16, 16), new Linear(w.Scope("k"), 16, 8), new Linear(w.Scope("v"), 16, 8),
            new Linear(w.Scope("o"), 16, 16), heads: 4, kvHeads: 2, rotary ? new RotaryEmbedding(4) : null, alibi);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Incremental_decoding_with_a_cache_equals_the_full_causal_pass(bool rotary, bool alibi)
    {
        var attention = Build(1, rotary, alibi);
        var x = Tensor.Randn(new Generator(2), 2, 6, 16);
        var full = attention.Forward(x, causal: true).ToArray();
        var cache = new KvCache();
        var pieces = new[] { (0, 4), (4, 1), (5, 1) }
            .Select(p => attention.Forward(x.Narrow(1, p.Item1, p.Item2), causal: true, cache: cache))
            .ToList();
        var incremental = Tensor.Concat(pieces, 1).ToArray();
        Assert.Equal(6, cache.Length);
        for (var i = 0; i < full.Length; i++)
        {
            Assert.True(Math.Abs(full[i] - incremental[i]) <= 1e-5f, $"element {i}: {incremental[i]} vs {full[i]}");
        }
    }

    [Fact]
    public void Alibi_attention_equals_the_composed_formula()
    {
        var attention = Build(3, rotary: false, alibi: true);
        var x = Tensor.Randn(new Generator(4), 1, 5, 16);
        var q = AttentionHeads.Split(attention.Query.Forward(x), 4); // (1, 4, 5, 4)
        var k = AttentionHeads.Split(attention.Key.Forward(x), 2); // (1, 2, 5, 4)
        var v = AttentionHeads.Split(attention.Value.Forward(x), 2); // (1, 2, 5, 4)
        var heads = new List<Tensor>();
        var slopes = AttentionMasks.AlibiSlopes(4);
        Assert.Equal([0.25f, 0.0625f, 0.015625f, 0.00390625f], slopes); // 2^(−8h/H), H = 4
        for (var h = 0; h < 4; h++)
        {
            var scores = q.Narrow(1, h, 1).Matmul(k.Narrow(1, h / 2, 1).Transpose(2, 3)) * 0.5f; // (1, 1, 5, 5), 1/√D = 0.5
            var bias = new float[25];
            for (var i = 0; i < 5; i++)
            {
                for (var j = 0; j < 5; j++)
                {
                    bias[(i * 5) + j] = j <= i ? slopes[h] * (j - i) : -1e30f;
                }
            }

            heads.Add((scores + Tensor.FromArray(bias, 1, 1, 5, 5)).Softmax(-1).Matmul(v.Narrow(1, h / 2, 1))); // (1, 1, 5, 4)
        }

        var expected = attention.Output.Forward(AttentionHeads.Merge(Tensor.Concat(heads, 1))).ToArray();
        var actual = attention.Forward(x, causal: true).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
