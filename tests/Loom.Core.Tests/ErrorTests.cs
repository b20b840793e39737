namespace Loom.Core.Tests;

/// <summary>Bad input raises typed exceptions whose messages say what was expected, what was found and where.</summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatches()
    {
        var ex = Assert.Throws<TensorShapeException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("[2, 3] and [4]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<TensorShapeException>(() => Tensor.Zeros(2, 3).Matmul(Tensor.Zeros(4, 5)));
        Assert.Contains("inner dimensions differ", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TensorShapeException>(() => Tensor.Zeros(6).Reshape(4, -1));
        Assert.Throws<TensorShapeException>(() => Tensor.Zeros(3).Matmul(Tensor.Zeros(3, 1)));
        ex = Assert.Throws<TensorShapeException>(() => Tensor.Zeros(2, 4).LayerNorm(Tensor.Ones(3), null));
        Assert.Contains("expected shape [4]; found [3]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TensorShapeException>(() => Tensor.CrossEntropy(Tensor.Zeros(2, 5), IntTensor.FromArray([1, 2, 3])));
        Assert.Throws<TensorShapeException>(() => Tensor.ScaledDotProductAttention(Tensor.Zeros(1, 3, 2, 4), Tensor.Zeros(1, 2, 2, 4), Tensor.Zeros(1, 2, 2, 4)));
        Assert.Throws<TensorShapeException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));
        Assert.Throws<TensorShapeException>(() => Tensor.Zeros(2, 3).Backward());
    }

    [Fact]
    public void IndicesOutOfRange()
    {
        var ex = Assert.Throws<TensorIndexException>(() => Tensor.Zeros(4, 2).Embedding(IntTensor.FromArray([1, 4])));
        Assert.Contains("index 4 at position 1", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<TensorIndexException>(() => Tensor.CrossEntropy(Tensor.Zeros(2, 5), IntTensor.FromArray([1, 7])));
        Assert.Contains("target 7", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TensorIndexException>(() => Tensor.Zeros(2, 3).Sum(2));
        Assert.Throws<TensorIndexException>(() => Tensor.Zeros(2, 3).Narrow(1, 2, 2));
        Assert.Throws<TensorIndexException>(() => Tensor.Zeros(2, 3)[2, 0]);
        Assert.Throws<TensorIndexException>(() => Tensor.Zeros(2, 3).Gather(1, IntTensor.FromArray([3, 0], 2, 1)));
    }

    [Fact]
    public void MisuseOfViewsAndLeaves()
    {
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2, 3).Transpose(0, 1).View(6));
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2, 3).Transpose(0, 1).AsSpan());
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Sum().Backward());
    }
}
