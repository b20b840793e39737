using Loom.Core;
using Loom.Kernels;

namespace Loom.Nn.Tests;

/// <summary>
/// Linear and Embedding bound to quantised weights (Weights.Initialize with a quantised source): same outputs as the
/// float32 layer holding the dequantised values, shared when tied, and a clear error when someone tries to train them.
/// </summary>
public sealed class QuantizedLinearTests
{
    private const int In = 64;
    private const int Out = 40;

    [Theory]
    [InlineData(QuantizedFormat.Q8_0)]
    [InlineData(QuantizedFormat.Q4_0)]
    public void QuantizedLinearMatchesTheDequantisedFloatLayer(QuantizedFormat format)
    {
        var dense = Tensor.Randn(new Generator(1), Out, In);
        var quantized = QuantizedMatrix.Quantize(dense, format);
        var weights = Weights.Initialize(new Generator(0), (name, shape) => name == "proj.weight" ? quantized : null);
        var layer = new Linear(weights.Scope("proj"), In, Out);
        Assert.Same(quantized, layer.QuantizedWeight);
        Assert.Equal(["proj.bias"], weights.Parameters.Select(p => p.Key));
        Assert.Equal(["proj.weight"], weights.QuantizedParameters.Select(p => p.Key));

        var reference = new Linear(Weights.Initialize(new Generator(0)).Scope("proj"), In, Out);
        quantized.Dequantize().AsSpan().CopyTo(reference.Weight.AsSpan());
        layer.Bias!.AsSpan().CopyTo(reference.Bias!.AsSpan());
        using var noGrad = Tensor.NoGrad();
        foreach (var rows in new[] { 1, 5 })
        {
            var x = Tensor.Randn(new Generator((ulong)rows), 1, rows, In); // (B, T, C)
            var expected = reference.Forward(x).ToArray();
            var actual = layer.Forward(x);
            Assert.Equal([1, rows, Out], actual.Shape);
            // Sums in another order than the float32 GEMM for one row (bound: K·2⁻²⁴·Σ|w·x| ≈ 4e-6 relative); identical for 5.
            Assert.All(expected.Zip(actual.ToArray()), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5f * (1 + Math.Abs(p.First)), $"{p.First} vs {p.Second}"));
        }
    }

    [Fact]
    public void QuantizedEmbeddingLooksUpRowsAndServesAsTiedHead()
    {
        var dense = Tensor.Randn(new Generator(2), 50, In);
        var quantized = QuantizedMatrix.Quantize(dense, QuantizedFormat.Q8_0);
        var embedding = new Embedding(Weights.Initialize(new Generator(0), (_, _) => quantized).Scope("embed"), 50, In);
        var table = quantized.Dequantize();
        using var noGrad = Tensor.NoGrad();
        var rows = embedding.Forward(IntTensor.FromArray([3, 49, 0], 3));
        Assert.Equal(table.IndexSelect(0, IntTensor.FromArray([3, 49, 0], 3)).ToArray(), rows.ToArray());
        var x = Tensor.Randn(new Generator(3), 3, In);
        var expected = x.Matmul(table.Transpose(0, 1)).ToArray();
        Assert.Equal(expected, embedding.Attend(x).ToArray()); // three rows: the panel path, the same float32 GEMM
        Assert.Throws<TensorIndexException>(() => embedding.Forward(IntTensor.FromArray([50], 1)));
    }

    [Fact]
    public void TrainingAQuantizedWeightIsAClearError()
    {
        var quantized = QuantizedMatrix.Quantize(Tensor.Randn(new Generator(4), Out, In), QuantizedFormat.Q4_0);
        var layer = new Linear(Weights.Initialize(new Generator(0), (_, _) => quantized), In, Out, bias: false);
        var read = Assert.Throws<InvalidOperationException>(() => layer.Weight);
        Assert.Contains("quantised (Q4_0, [40, 64]) for inference only", read.Message, StringComparison.Ordinal);
        var x = Tensor.Randn(new Generator(5), 2, In);
        x.RequiresGrad = true;
        var forward = Assert.Throws<InvalidOperationException>(() => layer.Forward(x));
        Assert.Contains("inference only", forward.Message, StringComparison.Ordinal);
        Assert.Throws<TensorShapeException>(() => layer.Forward(Tensor.Zeros(2, In + 1)));
    }
}
