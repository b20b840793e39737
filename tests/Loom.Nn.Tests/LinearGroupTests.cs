using Loom.Core;
using Loom.Kernels;

namespace Loom.Nn.Tests;

/// <summary>
/// <see cref="LinearGroup"/> gives exactly the tensors of its layers' own Forward: float32 and quantised (float32 and int8
/// activations) weights, with and without bias, one and two rows (one kernel job) and more (one product each), on one and
/// two threads; with gradients on it records what the single layers record; <see cref="Mlp"/> with a gate is unchanged.
/// </summary>
public sealed class LinearGroupTests
{
    private const int In = 96;

    public static TheoryData<string> Formats() => ["F32", "Q8_0", "Q4_0", "Q8_0 int8", "Q4_0 int8"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void GroupedOutputsHaveTheBitsOfTheSingleLayers(string format)
    {
        var (group, layers) = Build(format, seed: 1);
        using var noGrad = Tensor.NoGrad();
        var saved = KernelOptions.DegreeOfParallelism;
        try
        {
            foreach (var threads in new[] { 1, 2 })
            {
                KernelOptions.DegreeOfParallelism = threads;
                foreach (var shape in new int[][] { [In], [1, In], [1, 1, In], [2, 1, In], [1, 2, In], [3, In], [1, 9, In] })
                {
                    var x = Tensor.Randn(new Generator((ulong)shape.Length), shape);
                    var grouped = group.Forward(x);
                    Assert.Equal(layers.Length, grouped.Length);
                    for (var i = 0; i < layers.Length; i++)
                    {
                        var single = layers[i].Forward(x);
                        Assert.Equal(single.Shape, grouped[i].Shape);
                        Assert.Equal(Bits(single), Bits(grouped[i]));
                    }
                }
            }
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void WithGradientsTheGroupRecordsLikeTheSingleLayers()
    {
        var (group, layers) = Build("F32", seed: 2);
        var x = Tensor.Randn(new Generator(3), 1, 1, In);
        x.RequiresGrad = true;
        Gradients(group.Forward(x));
        var (groupedX, groupedW) = (Bits(x.Grad!), Bits(layers[0].Weight.Grad!));
        Assert.NotNull(layers[2].Bias!.Grad);
        x.Grad = null;
        foreach (var layer in layers)
        {
            layer.Weight.Grad = null;
        }

        Gradients([.. layers.Select(l => l.Forward(x))]);
        Assert.Equal(Bits(x.Grad!), groupedX);
        Assert.Equal(Bits(layers[0].Weight.Grad!), groupedW);

        static void Gradients(Tensor[] outputs) => outputs.Select((y, i) => y.Sum() * (i + 1f)).Aggregate((a, b) => a + b).Backward();
    }

    [Fact]
    public void DecodeSizedInputsRunAsOneJobAndTheRestIsLeftToTheLayers()
    {
        var (_, dense) = Build("F32", seed: 6);
        var (_, int8) = Build("Q4_0 int8", seed: 7);
        LinearMap[] denseMaps = [.. dense.Select(l => l.Map!.Value)], int8Maps = [.. int8.Select(l => l.Map!.Value)];
        using (Tensor.NoGrad())
        {
            Assert.NotNull(Tensor.Zeros(In).TryLinearGroup(denseMaps));
            Assert.NotNull(Tensor.Zeros(2, 1, In).TryLinearGroup(denseMaps));
            Assert.Null(Tensor.Zeros(3, In).TryLinearGroup(denseMaps)); // prefill: the packed GEMM, one product each
            Assert.NotNull(Tensor.Zeros(8, In).TryLinearGroup(int8Maps)); // the integer-dot path serves up to 8 rows
            Assert.Null(Tensor.Zeros(9, In).TryLinearGroup(int8Maps));
            Assert.Null(Tensor.Zeros(In, 2).Transpose(0, 1).TryLinearGroup(denseMaps)); // strided rows: the single product's own reading
            using (Tensor.Autocast())
            {
                Assert.Null(Tensor.Zeros(1, In).TryLinearGroup(denseMaps));
                Assert.NotNull(Tensor.Zeros(1, In).TryLinearGroup(int8Maps));
            }
        }

        var x = Tensor.Zeros(1, In);
        x.RequiresGrad = true;
        Assert.Null(x.TryLinearGroup(denseMaps)); // gradients: the layers record them
        Assert.Throws<TensorShapeException>(() => Tensor.Zeros(1, In + 1).TryLinearGroup(denseMaps));
    }

    [Fact]
    public void AGatedMlpIsUnchanged()
    {
        var weights = Weights.Initialize(new Generator(4));
        var mlp = new Mlp(new Linear(weights.Scope("up"), In, 70, bias: false), new Linear(weights.Scope("down"), 70, In, bias: false), Activation.Silu,
            new Linear(weights.Scope("gate"), In, 70, bias: false));
        using var noGrad = Tensor.NoGrad();
        foreach (var rows in new[] { 1, 2, 5 })
        {
            var x = Tensor.Randn(new Generator((ulong)rows), 1, rows, In);
            var expected = mlp.Down.Forward(Activation.Silu.Apply(mlp.Gate!.Forward(x)) * mlp.Up.Forward(x));
            Assert.Equal(Bits(expected), Bits(mlp.Forward(x)));
        }
    }

    [Fact]
    public void LayersOfDifferentInputWidthsAreRefused()
    {
        var weights = Weights.Initialize(new Generator(5));
        Assert.Throws<TensorShapeException>(() => new LinearGroup(new Linear(weights.Scope("a"), In, 4), new Linear(weights.Scope("b"), In + 1, 4)));
        var group = new LinearGroup(new Linear(weights.Scope("c"), In, 4));
        Assert.Throws<TensorShapeException>(() => group.Forward(Tensor.Zeros(1, In + 1)));
    }

    /// <summary>Three layers of odd widths (q, k, v-like: the last two narrower), biases on the first and last.</summary>
    private static (LinearGroup Group, Linear[] Layers) Build(string format, int seed)
    {
        var quantized = format != "F32";
        var blocks = format.StartsWith("Q4_0", StringComparison.Ordinal) ? QuantizedFormat.Q4_0 : QuantizedFormat.Q8_0;
        var weights = Weights.Initialize(new Generator((ulong)seed), (name, shape) =>
            quantized && name.EndsWith(".weight", StringComparison.Ordinal) ? QuantizedMatrix.Quantize(Tensor.Randn(new Generator((ulong)shape[0]), shape), blocks) : null);
        Linear[] layers = [new(weights.Scope("q"), In, 100), new(weights.Scope("k"), In, 37, bias: false), new(weights.Scope("v"), In, 37)];
        foreach (var layer in layers.Where(_ => format.EndsWith("int8", StringComparison.Ordinal)))
        {
            layer.QuantizedWeight!.Activations = QuantizedActivations.Int8;
        }

        return (new LinearGroup(layers), layers);
    }

    private static int[] Bits(Tensor t) => [.. t.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
