using Loom.Core.Autograd;

namespace Loom.Core.Tests;

/// <summary>Finite-difference gradient checks for every differentiable op (see <see cref="GradCheck"/>).</summary>
public class GradientCheckTests
{
    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Cases = new()
    {
        ["add broadcast"] = (x => x[0] + x[1], () => [Normal(1, 2, 3, 4), Normal(2, 3, 1)]),
        ["sub broadcast"] = (x => x[0] - x[1], () => [Normal(3, 2, 4), Normal(3)]),
        ["sub scalar-first"] = (x => x[1] - x[0], () => [Normal(3, 4), Normal(4)]),
        ["mul broadcast"] = (x => x[0] * x[1], () => [Normal(4, 2, 3, 5), Normal(2, 1, 5)]),
        ["div broadcast"] = (x => x[0] / x[1], () => [Normal(5, 2, 3), Positive(6, 3)]),
        ["affine"] = (x => (x[0] * 2.5f) + 1f - (x[0] / 4f), () => [Normal(7, 3, 4)]),
        ["neg"] = (x => -x[0], () => [Normal(8, 5)]),
        ["pow fractional"] = (x => x[0].Pow(1.7f), () => [Positive(9, 3, 4)]),
        ["pow square"] = (x => x[0].Pow(2f), () => [Normal(10, 3, 4)]),
        ["sqrt"] = (x => x[0].Sqrt(), () => [Positive(11, 12)]),
        ["rsqrt"] = (x => x[0].Rsqrt(), () => [Positive(12, 12)]),
        ["exp"] = (x => x[0].Exp(), () => [Normal(13, 12)]),
        ["log"] = (x => x[0].Log(), () => [Positive(14, 12)]),
        ["tanh"] = (x => x[0].Tanh(), () => [Normal(15, 12)]),
        ["sigmoid"] = (x => x[0].Sigmoid(), () => [Normal(16, 12)]),
        ["relu"] = (x => x[0].Relu(), () => [AwayFromZero(17, 16)]),
        ["gelu erf"] = (x => x[0].Gelu(), () => [Normal(18, 3, 8)]),
        ["gelu tanh"] = (x => x[0].GeluTanh(), () => [Normal(19, 3, 8)]),
        ["silu"] = (x => x[0].Silu(), () => [Normal(20, 3, 8)]),
        ["erf"] = (x => x[0].Erf(), () => [Normal(21, 3, 8)]),
        ["sum dims"] = (x => x[0].Sum([0, 2], keepDim: false), () => [Normal(22, 2, 3, 4)]),
        ["sum keepdim"] = (x => x[0].Sum(1, keepDim: true), () => [Normal(23, 2, 3, 4)]),
        ["sum all"] = (x => x[0].Sum(), () => [Normal(24, 2, 3)]),
        ["mean"] = (x => x[0].Mean(-1), () => [Normal(25, 3, 5)]),
        ["variance"] = (x => x[0].Variance(1), () => [Normal(26, 3, 5)]),
        ["max"] = (x => x[0].Max(1), () => [Distinct(27, 3, 5)]),
        ["min keepdim"] = (x => x[0].Min(0, keepDim: true), () => [Distinct(28, 4, 3)]),
        ["matmul 2d"] = (x => x[0].Matmul(x[1]), () => [Normal(29, 3, 4), Normal(30, 4, 5)]),
        ["matmul batched broadcast"] = (x => x[0].Matmul(x[1]), () => [Normal(31, 2, 1, 3, 4), Normal(32, 3, 4, 2)]),
        ["matmul transposed operands"] = (x => x[0].Transpose(0, 1).Matmul(x[1].Transpose(0, 1)), () => [Normal(33, 4, 3), Normal(34, 5, 4)]),
        ["reshape"] = (x => x[0].Reshape(4, -1) * x[1], () => [Normal(35, 2, 3, 2), Normal(36, 4, 3)]),
        ["permute"] = (x => x[0].Permute(2, 0, 1) * x[1], () => [Normal(37, 2, 3, 4), Normal(38, 4, 2, 3)]),
        ["transpose then reshape (copy)"] = (x => x[0].Transpose(0, 1).Reshape(-1), () => [Normal(39, 3, 4)]),
        ["narrow"] = (x => x[0].Narrow(1, 1, 2), () => [Normal(40, 3, 4)]),
        ["expand"] = (x => x[0].Expand(2, 3, 4) * x[1], () => [Normal(41, 3, 1), Normal(42, 2, 3, 4)]),
        ["contiguous"] = (x => x[0].Transpose(0, 1).Contiguous(), () => [Normal(43, 3, 4)]),
        ["unsqueeze squeeze"] = (x => x[0].Unsqueeze(1).Squeeze(1) * x[0], () => [Normal(44, 3, 4)]),
        ["index select"] = (x => x[0].IndexSelect(1, IntTensor.FromArray([2, 0, 2, 1])), () => [Normal(45, 2, 3, 2)]),
        ["embedding"] = (x => x[0].Embedding(IntTensor.FromArray([1, 3, 1, 0, 2, 3], 2, 3)), () => [Normal(46, 4, 5)]),
        ["gather"] = (x => x[0].Gather(1, IntTensor.FromArray([0, 2, 2, 1, 0, 0], 3, 2)), () => [Normal(47, 3, 4)]),
        ["scatter add"] = (x => x[0].ScatterAdd(1, IntTensor.FromArray([0, 2, 2, 1, 3, 3], 2, 3), x[1]), () => [Normal(48, 2, 4), Normal(49, 2, 3)]),
        ["scatter"] = (x => x[0].Scatter(0, IntTensor.FromArray([2, 0, 1, 1], 1, 4), x[1]), () => [Normal(80, 3, 4), Normal(81, 1, 4)]),
        ["concat"] = (x => Tensor.Concat([x[0], x[1], x[0]], 1), () => [Normal(50, 2, 3), Normal(51, 2, 2)]),
        ["stack"] = (x => Tensor.Stack([x[0], x[1]], 0), () => [Normal(52, 2, 3), Normal(53, 2, 3)]),
        ["split chunk"] = (x => x[0].Chunk(2, 1)[1] * x[0].Split(2, 1)[0], () => [Normal(54, 3, 4)]),
        ["where"] = (x => Tensor.Where(Tensor.FromArray([1, 0, 1, 1, 0, 0], 2, 3), x[0], x[1]), () => [Normal(55, 2, 3), Normal(56, 3)]),
        ["masked fill"] = (x => x[0].MaskedFill(Tensor.FromArray([0, 1, 0], 3), -5f), () => [Normal(57, 2, 3)]),
        ["softmax last"] = (x => x[0].Softmax(-1), () => [Normal(58, 3, 5)]),
        ["softmax middle"] = (x => x[0].Softmax(1), () => [Normal(59, 2, 4, 3)]),
        ["log softmax"] = (x => x[0].LogSoftmax(-1), () => [Normal(60, 3, 5)]),
        ["layer norm affine"] = (x => x[0].LayerNorm(x[1], x[2]), () => [Normal(61, 3, 6), Normal(62, 6), Normal(63, 6)]),
        ["layer norm plain"] = (x => x[0].LayerNorm(null, null), () => [Normal(64, 2, 2, 5)]),
        ["rms norm weight"] = (x => x[0].RmsNorm(x[1]), () => [Normal(65, 3, 6), Normal(66, 6)]),
        ["rms norm plain"] = (x => x[0].RmsNorm(null), () => [Normal(67, 4, 5)]),
        ["cross entropy mean smoothing ignore"] = (x => Tensor.CrossEntropy(x[0], IntTensor.FromArray([1, -100, 4, 0]), labelSmoothing: 0.1f), () => [Normal(68, 4, 5)]),
        ["cross entropy sum"] = (x => Tensor.CrossEntropy(x[0], IntTensor.FromArray([2, 0, 3], 3), reduction: Reduction.Sum), () => [Normal(69, 3, 4)]),
        ["cross entropy none 3d"] = (x => Tensor.CrossEntropy(x[0], IntTensor.FromArray([2, 0, -100, 3], 2, 2), reduction: Reduction.None), () => [Normal(70, 2, 2, 4)]),
        ["attention gqa causal padded"] = (x => Tensor.ScaledDotProductAttention(x[0], x[1], x[2], AttentionMasks.Padding(IntTensor.FromArray([1, 1, 1, 1, 1, 0, 1, 1, 1, 1], 2, 5)), causal: true),
            () => [Normal(72, 2, 4, 3, 4), Normal(73, 2, 2, 5, 4), Normal(74, 2, 2, 5, 3)]),
        ["attention (B, T, H, D) views with ALiBi"] = (x => Tensor.ScaledDotProductAttention(x[0].Transpose(1, 2), x[1].Transpose(1, 2), x[2].Transpose(1, 2), AttentionMasks.Alibi(AttentionMasks.AlibiSlopes(3), 4, 4), scale: 0.3f),
            () => [Normal(75, 1, 4, 3, 2), Normal(76, 1, 4, 3, 2), Normal(77, 1, 4, 3, 2)]),
        ["rope half rotation"] = (x => x[0].Rope(Tables(3, 6).Cos, Tables(3, 6).Sin, RopeLayout.HalfRotation), () => [Normal(78, 2, 2, 3, 6)]),
        ["rope interleaved"] = (x => x[0].Rope(Tables(4, 4).Cos, Tables(4, 4).Sin, RopeLayout.Interleaved), () => [Normal(79, 2, 4, 4)]),
        ["dropout"] = (x => x[0].Dropout(0.3f, new Generator(7)), () => [Normal(71, 4, 5)]),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var (f, inputs) = Cases[name];
        GradCheck.Check(f, inputs());
    }

    [Fact]
    public void EveryOpKindHasAGradientCheck()
    {
        var all = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Where(n => n != nameof(UnaryOp))
            .Concat(Enum.GetNames<UnaryKind>().Select(k => $"{nameof(UnaryOp)}.{k}"))
            .ToHashSet();
        var covered = new HashSet<string>();
        foreach (var (f, inputs) in Cases.Values)
        {
            var x = inputs();
            foreach (var t in x)
            {
                t.RequiresGrad = true;
            }

            covered.UnionWith(GradCheck.KindsIn(f(x)));
        }

        var missing = all.Except(covered).Order().ToList();
        Assert.True(missing.Count == 0, "op kinds without a gradient check: " + string.Join(", ", missing));
        Assert.Contains("MatmulOp", all);
        Assert.Contains("UnaryOp.GeluErf", all);
    }

    [Fact]
    public void DetectsAFivePercentError()
    {
        // The detached term is invisible to autograd: the analytic gradient is 1, the true one 1.05.
        var ratio = GradCheck.WorstRatio(x => x[0] + (x[0].Detach() * 0.05f), Normal(90, 6));
        Assert.True(ratio > 2d, $"the checker should reject a 5% gradient error; worst ratio {ratio:F2}");
    }

    private static (Tensor Cos, Tensor Sin) Tables(int t, int d) => Tensor.RopeTables(t, d, 100f, start: 2);

    internal static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(new Generator(seed), shape);

    /// <summary>Uniform in [0.5, 1.5): safe for log, sqrt, rsqrt, division.</summary>
    internal static Tensor Positive(ulong seed, params int[] shape) => Tensor.Rand(new Generator(seed), shape) + 0.5f;

    /// <summary>|x| in [0.2, 1.2) with random sign: far from the ReLU kink relative to the step.</summary>
    internal static Tensor AwayFromZero(ulong seed, params int[] shape)
    {
        var g = new Generator(seed);
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (0.2f + g.NextSingle()) * (g.NextSingle() < 0.5f ? -1f : 1f);
        }

        return Tensor.FromArray(values, shape);
    }

    /// <summary>A random permutation of 0, 0.1, 0.2, …: gaps of 0.1 keep max/min away from ties under the step.</summary>
    internal static Tensor Distinct(ulong seed, params int[] shape)
    {
        var g = new Generator(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, n).Select(i => i * 0.1f).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = g.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }

        return Tensor.FromArray(values, shape);
    }
}
