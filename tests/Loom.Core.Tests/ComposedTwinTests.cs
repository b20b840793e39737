namespace Loom.Core.Tests;

/// <summary>Each fused op against its twin built from primitive ops: same forward values and same gradients.</summary>
public class ComposedTwinTests
{
    private const float Tolerance = 2e-5f;

    [Fact]
    public void Softmax() => Compare(
        x => x[0].Softmax(-1),
        x =>
        {
            var e = (x[0] - x[0].Max(-1, keepDim: true)).Exp();
            return e / e.Sum(-1, keepDim: true);
        },
        Normal(1, 3, 4, 7));

    [Fact]
    public void LogSoftmax() => Compare(
        x => x[0].LogSoftmax(1),
        x => x[0] - x[0].Exp().Sum(1, keepDim: true).Log(),
        Normal(2, 3, 5, 2));

    [Fact]
    public void LayerNorm() => Compare(
        x => x[0].LayerNorm(x[1], x[2], 1e-5f),
        x =>
        {
            var centered = x[0] - x[0].Mean(-1, keepDim: true);
            var variance = (centered * centered).Mean(-1, keepDim: true);
            return (centered * (variance + 1e-5f).Rsqrt() * x[1]) + x[2];
        },
        Normal(3, 2, 3, 16), Normal(4, 16), Normal(5, 16));

    [Fact]
    public void RmsNorm() => Compare(
        x => x[0].RmsNorm(x[1], 1e-6f),
        x => x[0] * (x[0] * x[0]).Mean(-1, keepDim: true).Affine(1f, 1e-6f).Rsqrt() * x[1],
        Normal(6, 4, 16), Normal(7, 16));

    [Fact]
    public void GeluErf() => Compare(
        x => x[0].Gelu(),
        x => x[0] * ((x[0] * 0.70710678f).Erf() + 1f) * 0.5f,
        Normal(8, 64));

    [Fact]
    public void GeluTanh() => Compare(
        x => x[0].GeluTanh(),
        x => x[0] * (((x[0] + (x[0].Pow(3f) * 0.044715f)) * 0.7978845608f).Tanh() + 1f) * 0.5f,
        Normal(9, 64));

    [Fact]
    public void CrossEntropy()
    {
        var targets = IntTensor.FromArray([3, -100, 0, 5, 5]);
        var keep = Tensor.FromArray([1, 0, 1, 1, 1], 5, 1);
        const float smoothing = 0.2f;
        Compare(
            x => Tensor.CrossEntropy(x[0], targets, labelSmoothing: smoothing),
            x =>
            {
                var logp = x[0].LogSoftmax(-1);
                var safeTargets = IntTensor.FromArray([3, 0, 0, 5, 5], 5, 1);
                var nll = -logp.Gather(1, safeTargets);
                var uniform = -logp.Mean(1, keepDim: true);
                var rowLoss = (nll * (1f - smoothing)) + (uniform * smoothing);
                return (rowLoss * keep).Sum() / 4f;
            },
            Normal(10, 5, 6));
    }

    [Fact]
    public void AttentionWithEveryMaskKind()
    {
        var padding = AttentionMasks.Padding(IntTensor.FromArray([1, 1, 1, 0, 1, 1, 1, 1], 2, 4));
        var bias = AttentionMasks.Alibi(AttentionMasks.AlibiSlopes(2), 4, 4) + AttentionMasks.Prefix(2, 4) + padding;
        Compare(
            x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], bias, causal: false),
            x => (x[0].Matmul(x[1].Transpose(-1, -2)) * 0.5f + bias).Softmax(-1).Matmul(x[2]),
            Normal(11, 2, 2, 4, 4), Normal(12, 2, 2, 4, 4), Normal(13, 2, 2, 4, 3));
    }

    [Fact]
    public void CausalAttentionFlagEqualsCausalMask()
    {
        Compare(
            x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
            x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], AttentionMasks.Causal(3, 5)),
            Normal(14, 1, 2, 3, 4), Normal(15, 1, 2, 5, 4), Normal(16, 1, 2, 5, 4));
    }

    [Fact]
    public void GroupedQueryAttentionEqualsRepeatedKeyValueHeads()
    {
        // 4 query heads share 2 kv heads: the same as repeating each kv head twice (HF repeat_kv).
        static Tensor Repeat(Tensor kv) => kv.Unsqueeze(2).Expand(1, 2, 2, 3, 4).Reshape(1, 4, 3, 4);
        Compare(
            x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], causal: true),
            x => Tensor.ScaledDotProductAttention(x[0], Repeat(x[1]), Repeat(x[2]), causal: true),
            Normal(17, 1, 4, 3, 4), Normal(18, 1, 2, 3, 4), Normal(19, 1, 2, 3, 4));
    }

    [Fact]
    public void RopeHalfRotation()
    {
        var (cos, sin) = Tensor.RopeTables(3, 8, 10000f, start: 4);
        Compare(
            x => x[0].Rope(cos, sin, RopeLayout.HalfRotation),
            x =>
            {
                var x1 = x[0].Narrow(-1, 0, 4);
                var x2 = x[0].Narrow(-1, 4, 4);
                var rotated = Tensor.Concat([-x2, x1], -1);
                return (x[0] * Tensor.Concat([cos, cos], -1)) + (rotated * Tensor.Concat([sin, sin], -1));
            },
            Normal(20, 2, 3, 8));
    }

    [Fact]
    public void RopeInterleaved()
    {
        var (cos, sin) = Tensor.RopeTables(3, 8);
        Compare(
            x => x[0].Rope(cos, sin, RopeLayout.Interleaved),
            x =>
            {
                var pairs = x[0].Reshape(2, 3, 4, 2);
                var even = pairs.Narrow(-1, 0, 1).Squeeze(-1);
                var odd = pairs.Narrow(-1, 1, 1).Squeeze(-1);
                var c = cos.Reshape(3, 4);
                var s = sin.Reshape(3, 4);
                return Tensor.Stack([(even * c) - (odd * s), (odd * c) + (even * s)], -1).Reshape(2, 3, 8);
            },
            Normal(21, 2, 3, 8));
    }

    private static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(new Generator(seed), shape);

    private static void Compare(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> composed, params Tensor[] inputs)
    {
        var (fusedOut, fusedGrads) = Run(fused, inputs);
        var (composedOut, composedGrads) = Run(composed, inputs);
        AssertClose(composedOut, fusedOut, "forward");
        for (var i = 0; i < inputs.Length; i++)
        {
            AssertClose(composedGrads[i], fusedGrads[i], $"gradient of input {i}");
        }
    }

    private static (float[] Output, float[][] Grads) Run(Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.ZeroGrad();
        }

        var y = f(inputs);
        var weights = Tensor.Randn(new Generator(99), [.. y.Shape]);
        (y * weights).Sum().Backward();
        return (y.ToArray(), inputs.Select(x => x.Grad!.ToArray()).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * (1 + Math.Abs(expected[i])),
                $"{what}, element {i}: composed {expected[i]}, fused {actual[i]}");
        }
    }
}
