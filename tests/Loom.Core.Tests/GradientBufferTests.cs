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

    [Fact]
    public void ReleasingTheGraphAndGradientsGivesTheSameGradientsStepAfterStep()
    {
        // Buffers released by one step are reused by the next, so a buffer recycled too early would show up as a
        // different gradient in a later step.
        var plain = GradientsOverSteps(release: false);
        var released = GradientsOverSteps(release: true);
        Assert.Equal(plain.Count, released.Count);
        for (var i = 0; i < plain.Count; i++)
        {
            Assert.Equal(plain[i], released[i]);
        }
    }

    /// <summary>
    /// Three steps of a tiny causal transformer layer — embedding, layer norm, fused q|k|v split, attention, residual
    /// fan-in, GELU, a softmax read through a view, a tied output head and cross-entropy — each taking a plain gradient-descent step, and every
    /// parameter gradient of every step.
    /// </summary>
    private static List<float[]> GradientsOverSteps(bool release)
    {
        const int b = 2, t = 64, c = 64, v = 80;
        var generator = new Generator(11);
        Tensor Parameter(float scale, params int[] shape)
        {
            var p = Tensor.Randn(generator, shape) * scale;
            p.RequiresGrad = true;
            return p;
        }

        var table = Parameter(0.5f, v, c);
        var (gamma, beta) = (Parameter(0.1f, c), Parameter(0.1f, c));
        var qkv = Parameter(0.1f, c, 3 * c);
        var mlp = Parameter(0.1f, c, c);
        Tensor[] parameters = [table, gamma, beta, qkv, mlp];
        var ids = IntTensor.FromArray([.. Enumerable.Range(0, b * t).Select(i => (i * 7) % v)], b * t);
        var targets = IntTensor.FromArray([.. Enumerable.Range(0, b * t).Select(i => i % 5 == 0 ? -100 : (i * 3) % v)], b * t);
        var gradients = new List<float[]>();
        for (var step = 0; step < 3; step++)
        {
            foreach (var p in parameters)
            {
                p.ZeroGrad(releaseBuffer: release);
            }

            var x = table.IndexSelect(0, ids); // (B·T, C)
            var parts = x.LayerNorm(gamma, beta).Matmul(qkv).Split(c, 1); // 3 × (B·T, C)
            Tensor Heads(Tensor part) => part.Reshape(b, t, 4, c / 4).Transpose(1, 2); // (B, H, T, D)
            var attended = Tensor.ScaledDotProductAttention(Heads(parts[0]), Heads(parts[1]), Heads(parts[2]), causal: true); // (B, H, T, D)
            x += attended.Transpose(1, 2).Reshape(b * t, c); // (B·T, C)
            x += x.Matmul(mlp).Gelu();
            x += x.Reshape(b, t, c).Softmax(-1).Reshape(b * t, c) * x; // a saved output (softmax's) read through a view
            var loss = Tensor.CrossEntropy(x.Matmul(table.Transpose(0, 1)), targets); // logits (B·T, V)
            if (release)
            {
                loss.Backward(releaseGraph: true);
            }
            else
            {
                loss.Backward();
            }

            foreach (var p in parameters)
            {
                var grad = p.Grad!.ToArray();
                gradients.Add(grad);
                var values = p.AsSpan();
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] -= 0.5f * grad[i];
                }
            }
        }

        return gradients;
    }

    private static Tensor Leaf(float[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }
}
