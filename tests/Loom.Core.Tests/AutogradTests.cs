namespace Loom.Core.Tests;

/// <summary>Tape mechanics: accumulation, reuse of a tensor, no-grad scopes, detach, leaves and deep graphs.</summary>
public class AutogradTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        var x = Tensor.FromArray([1f, 2f, 3f]);
        x.RequiresGrad = true;
        (x * x).Sum().Backward();                  // d/dx Σx² = 2x
        Assert.Equal([2, 4, 6], x.Grad!.ToArray());
        (x * 3f).Sum().Backward();                 // + 3
        Assert.Equal([5, 7, 9], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void ATensorUsedTwiceGetsBothContributions()
    {
        var a = Tensor.FromArray([2f]);
        var b = Tensor.FromArray([5f]);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var c = a * b;                             // c = ab; y = c + c·a = ab + a²b
        (c + (c * a)).Sum().Backward();
        Assert.Equal(5f + (2 * 2 * 5), a.Grad!.Item()); // b + 2ab
        Assert.Equal(2f + 4f, b.Grad!.Item());     // a + a²
    }

    [Fact]
    public void GradOfSharedBroadcastInputsDoesNotAlias()
    {
        var a = Tensor.Ones(2, 2);
        var b = Tensor.Ones(2, 2);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        (a + b).Sum().Backward();
        a.Grad!.AsSpan()[0] = 100f;
        Assert.Equal(1f, b.Grad![0, 0]);
    }

    [Fact]
    public void NoGradScopeAndDetachRecordNothing()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        using (Tensor.NoGrad())
        {
            Assert.False((x * 2f).RequiresGrad);
        }

        Assert.True((x * 2f).RequiresGrad);
        var d = (x * 2f).Detach();
        Assert.False(d.RequiresGrad);
        Assert.Equal([2, 2, 2], d.ToArray());
        Assert.Throws<InvalidOperationException>(() => (d * x).Sum().Detach().Backward());
    }

    [Fact]
    public void OnlyLeavesReceiveGradAndIntermediatesCannotBeMarked()
    {
        var x = Tensor.Ones(2);
        x.RequiresGrad = true;
        var y = x * 2f;
        y.Sum().Backward();
        Assert.Null(y.Grad);
        Assert.NotNull(x.Grad);
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.FromArray([1f]);
        x.RequiresGrad = true;
        var y = x;
        for (var i = 0; i < 20_000; i++)
        {
            y = y + 0f;
        }

        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Item());
    }

    [Fact]
    public void BackwardWithAnExplicitOutputGradient()
    {
        var x = Tensor.FromArray([1f, 2f]);
        x.RequiresGrad = true;
        (x * x).Backward(Tensor.FromArray([10f, 100f]));
        Assert.Equal([20, 400], x.Grad!.ToArray());
    }

    [Fact]
    public void SameSeedSameBitsAcrossRuns()
    {
        static float[] Run()
        {
            var rng = new Generator(77);
            var w = Tensor.Randn(rng, 16, 8);
            w.RequiresGrad = true;
            var x = Tensor.Randn(rng, 4, 5, 8);
            var loss = Tensor.CrossEntropy(x.Matmul(w.Transpose(0, 1)).Reshape(20, 16).Dropout(0.1f, rng), IntTensor.FromArray(Enumerable.Range(0, 20).Select(i => i % 16).ToArray()));
            loss.Backward();
            return [loss.Item(), .. w.Grad!.ToArray()];
        }

        Assert.Equal(Run(), Run());
    }
}
