using Loom.Core;

namespace Loom.Nn.Tests;

public sealed class ModuleTests
{
    private static Tensor Random(ulong seed, params int[] shape) => Tensor.Randn(new Generator(seed), shape);

    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Linear_computes_x_w_transposed_plus_b_in_both_layouts()
    {
        var outIn = new Linear(Weights.Initialize(new Generator(1)), 2, 2);
        new float[] { 1f, 2f, 3f, 4f }.CopyTo(outIn.Weight.AsSpan());
        new float[] { 1f, -1f }.CopyTo(outIn.Bias!.AsSpan());
        var inOut = new Linear(Weights.Initialize(new Generator(1)), 2, 2, layout: LinearLayout.InOut);
        new float[] { 1f, 3f, 2f, 4f }.CopyTo(inOut.Weight.AsSpan());
        new float[] { 1f, -1f }.CopyTo(inOut.Bias!.AsSpan());
        var x = Tensor.FromArray([1f, 1f, 1f, 0f], 2, 2);
        Assert.Equal([4f, 6f, 2f, 2f], outIn.Forward(x).ToArray());
        Assert.Equal([4f, 6f, 2f, 2f], inOut.Forward(x).ToArray());
        Assert.Equal([4f, 6f], outIn.Forward(Tensor.FromArray([1f, 1f])).ToArray());
        Assert.Throws<TensorShapeException>(() => outIn.Forward(Tensor.Zeros(2, 3)));
    }

    [Fact]
    public void Grouped_query_attention_equals_multi_head_attention_with_repeated_kv_heads()
    {
        const int c = 16, heads = 4, kvHeads = 2, d = c / heads;
        var grouped = BuildAttention(Weights.Initialize(new Generator(2)), c, heads, kvHeads);
        var full = BuildAttention(Weights.Initialize(new Generator(3)), c, heads, heads);
        grouped.Query.Weight.ToArray().CopyTo(full.Query.Weight.AsSpan());
        grouped.Output.Weight.ToArray().CopyTo(full.Output.Weight.AsSpan());
        grouped.Query.Bias!.ToArray().CopyTo(full.Query.Bias!.AsSpan());
        grouped.Output.Bias!.ToArray().CopyTo(full.Output.Bias!.AsSpan());
        foreach (var (small, large) in new[] { (grouped.Key, full.Key), (grouped.Value, full.Value) })
        {
            // Query head h reads kv head h / (H / KvH): repeat each kv head's d output rows.
            var rows = small.Weight.ToArray();
            var repeated = large.Weight.AsSpan();
            for (var h = 0; h < heads; h++)
            {
                rows.AsSpan(h / (heads / kvHeads) * d * c, d * c).CopyTo(repeated.Slice(h * d * c, d * c));
            }
        }

        var x = Random(4, 2, 5, c);
        var mask = AttentionMasks.Padding(IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 5));
        AssertClose(full.Forward(x, mask: mask, causal: true).ToArray(), grouped.Forward(x, mask: mask, causal: true).ToArray());
    }

    [Fact]
    public void Padded_keys_do_not_influence_unpadded_queries_and_cross_attention_reads_the_context()
    {
        var attention = BuildAttention(Weights.Initialize(new Generator(5)), 8, 2, 1);
        var x = Random(6, 1, 4, 8);
        var mask = AttentionMasks.Padding(IntTensor.FromArray([1, 1, 0, 0], 1, 4));
        var changed = Tensor.Concat([x.Narrow(1, 0, 2), Random(7, 1, 2, 8)], 1);
        var a = attention.Forward(x, mask: mask).Narrow(1, 0, 2).ToArray();
        var b = attention.Forward(changed, mask: mask).Narrow(1, 0, 2).ToArray();
        AssertClose(a, b, 0f);

        var context = Random(8, 1, 6, 8);
        var cross = attention.Forward(x, context: context);
        Assert.Equal([1, 4, 8], cross.Shape);
        Assert.NotEqual(attention.Forward(x).ToArray(), cross.ToArray());
    }

    [Fact]
    public void Rotary_scores_depend_only_on_the_relative_position()
    {
        var rotary = new RotaryEmbedding(8, theta: 100f);
        var q = Random(9, 1, 1, 1, 8);
        var k = Random(10, 1, 1, 1, 8);
        static float Dot(Tensor a, Tensor b) => (a * b).Sum().Item();
        var near = Dot(rotary.Apply(q, start: 3), rotary.Apply(k, start: 1));
        var far = Dot(rotary.Apply(q, start: 25), rotary.Apply(k, start: 23));
        Assert.Equal(near, far, 4);
        Assert.NotEqual(near, Dot(rotary.Apply(q, start: 3), rotary.Apply(k, start: 2)), 4);
    }

    [Fact]
    public void Sinusoidal_table_follows_the_paper()
    {
        var table = SinusoidalPositions.Table(2, 4).ToArray();
        AssertClose([0f, 1f, 0f, 1f, MathF.Sin(1f), MathF.Cos(1f), MathF.Sin(0.01f), MathF.Cos(0.01f)], table, 1e-7f);
    }

    [Fact]
    public void Swiglu_mlp_is_down_of_silu_gate_times_up()
    {
        var w = Weights.Initialize(new Generator(11));
        var (up, gate, down) = (new Linear(w.Scope("up"), 4, 6), new Linear(w.Scope("gate"), 4, 6), new Linear(w.Scope("down"), 6, 4));
        var mlp = new Mlp(up, down, Activation.Silu, gate);
        var x = Random(12, 3, 4);
        AssertClose(down.Forward(gate.Forward(x).Silu() * up.Forward(x)).ToArray(), mlp.Forward(x).ToArray(), 0f);
        Assert.Throws<TensorShapeException>(() => new Mlp(up, up, Activation.Relu));
    }

    private static MultiHeadAttention BuildAttention(Weights w, int c, int heads, int kvHeads)
    {
        var d = c / heads;
        return new MultiHeadAttention(new Linear(w.Scope("q"), c, c), new Linear(w.Scope("k"), c, kvHeads * d, bias: false),
            new Linear(w.Scope("v"), c, kvHeads * d, bias: false), new Linear(w.Scope("o"), c, c), heads, kvHeads, new RotaryEmbedding(d));
    }
}
