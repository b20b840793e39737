namespace Loom.Core.Tests;

/// <summary>
/// Backward sums gradients in place and lets leaves adopt gradient buffers instead of copying them; these tests pin
/// down that no buffer anyone can still read is ever shared or written: leaves never share a Grad buffer, the
/// caller's output gradient is never adopted or changed, and a Grad kept from an earlier step stays as it was.
/// </summary>
public class GradientBufferTests
{
    [Fact]
    public void LeavesFedTheSameGradientGetSeparateBuffers()
    {
        var a = Leaf([1f, 2f]);
        var b = Leaf([3f, 4f]);
        ((a + b) * 1f).Sum().Backward(); // AddOp hands the same fresh gradient buffer to both inputs
        a.Grad!.AsSpan()[0] = 100f;
        Assert.Equal([1f, 1f], b.Grad!.ToArray());
    }

    [Fact]
    public void TheCallersOutputGradientIsNeitherAdoptedNorChanged()
    {
        var x = Leaf([1f, 2f, 3f, 4f]);
        var outputGradient = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        x.Reshape(2, 2).Backward(outputGradient); // Reshape passes the gradient through as a view
        x.Grad!.AsSpan()[0] = 100f;
        Assert.Equal([1f, 2f, 3f, 4f], outputGradient.ToArray());
        (x.Reshape(2, 2) * 1f).Backward(outputGradient); // a second pass adds into x.Grad
        Assert.Equal([1f, 2f, 3f, 4f], outputGradient.ToArray());
        Assert.Equal([101f, 4f, 6f, 8f], x.Grad.ToArray());
    }

    [Fact]
    public void AGradKeptFromAnEarlierStepIsNotReused()
    {
        var w = Leaf([1f, -1f]);
        (w * 2f).Sum().Backward();
        var first = w.Grad!;
        w.ZeroGrad();
        (w * 5f).Sum().Backward();
        Assert.Equal([2f, 2f], first.ToArray());
        Assert.Equal([5f, 5f], w.Grad!.ToArray());
    }

    [Fact]
    public void FanOutThroughNarrowsAndResidualsSumsEveryPath()
    {
        // qkv-style split: three narrows of one product, plus a residual path reusing the product.
        var x = Leaf([1f, 2f, 3f, 4f, 5f, 6f]);
        var y = x * 2f; // (6)
        var parts = y.Split(2, 0); // three views of y
        var loss = ((parts[0] * 1f) + (parts[1] * 10f) + (parts[2] * 100f)).Sum() + y.Sum();
        loss.Backward();
        // d/dx = 2 · (slice weight + 1 from the residual sum).
        Assert.Equal([4f, 4f, 22f, 22f, 202f, 202f], x.Grad!.ToArray());
    }

    [Fact]
    public void ATransposedWeightGetsARowMajorGradientOfItsOwnShape()
    {
        var w = Leaf([1f, 2f, 3f, 4f, 5f, 6f], 3, 2); // (out 3, in 2), used as x·Wᵀ
        var x = Tensor.FromArray([1f, 10f], 1, 2);
        x.Matmul(w.Transpose(0, 1)).Backward(Tensor.FromArray([1f, 2f, 3f], 1, 3));
        // dW[o, i] = g[o] · x[i]
        Assert.Equal([1f, 10f, 2f, 20f, 3f, 30f], w.Grad!.ToArray());
        Assert.True(w.Grad.IsContiguous);
        Assert.Equal([3, 2], w.Grad.Shape);
    }

    private static Tensor Leaf(float[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }
}
