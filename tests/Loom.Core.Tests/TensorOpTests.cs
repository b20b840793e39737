namespace Loom.Core.Tests;

/// <summary>Forward results of ops on small inputs whose answers are worked out by hand in the comments.</summary>
public class TensorOpTests
{
    private static Tensor T(float[] values, params int[] shape) => Tensor.FromArray(values, shape);

    [Fact]
    public void BroadcastArithmetic()
    {
        var a = T([1, 2, 3, 4, 5, 6], 2, 3);
        var row = T([10, 20, 30], 3);
        var col = T([100, 200], 2, 1);
        Assert.Equal([11, 22, 33, 14, 25, 36], (a + row).ToArray());
        Assert.Equal([99, 98, 97, 196, 195, 194], (col - a).ToArray());
        Assert.Equal([100, 200, 300, 800, 1000, 1200], (a * col).ToArray());
        Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3], (a / 2f).ToArray());
        Assert.Equal([3, 5, 7, 9, 11, 13], ((a * 2f) + 1f).ToArray());
        Assert.Equal([2, 3], (a + row).Shape);
    }

    [Fact]
    public void MatmulSmall()
    {
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
        var a = T([1, 2, 3, 4], 2, 2);
        var b = T([5, 6, 7, 8], 2, 2);
        Assert.Equal([19, 22, 43, 50], a.Matmul(b).ToArray());
        // Aᵀ·B = [[1,3],[2,4]]·B = [[26,30],[38,44]]; A·Bᵀ = [[17,23],[39,53]] — both read in place.
        Assert.Equal([26, 30, 38, 44], a.Transpose(0, 1).Matmul(b).ToArray());
        Assert.Equal([17, 23, 39, 53], a.Matmul(b.Transpose(0, 1)).ToArray());
    }

    [Fact]
    public void MatmulBroadcastsBatchAndMatchesPerBatchProducts()
    {
        var rng = new Generator(3);
        var a = Tensor.Randn(rng, 2, 1, 3, 4);
        var b = Tensor.Randn(rng, 5, 4, 2);
        var c = a.Matmul(b);
        Assert.Equal([2, 5, 3, 2], c.Shape);
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                var expected = a.Narrow(0, i, 1).Reshape(3, 4).Contiguous().Matmul(b.Narrow(0, j, 1).Reshape(4, 2)).ToArray();
                Assert.Equal(expected, c.Narrow(0, i, 1).Narrow(1, j, 1).ToArray());
            }
        }
    }

    [Fact]
    public void MatmulOfStridedViewsEqualsMatmulOfCopies()
    {
        var rng = new Generator(4);
        var x = Tensor.Randn(rng, 2, 5, 3, 4).Transpose(1, 2); // (2, 3, 5, 4), rows strided
        var w = Tensor.Randn(rng, 6, 4);
        var viaViews = x.Matmul(w.Transpose(0, 1)).ToArray();
        var viaCopies = x.Contiguous().Matmul(w.Transpose(0, 1).Contiguous()).ToArray();
        Assert.Equal(viaCopies.Length, viaViews.Length);
        for (var i = 0; i < viaViews.Length; i++)
        {
            Assert.Equal(viaCopies[i], viaViews[i], 1e-5f);
        }
    }

    [Fact]
    public void ViewsShareStorageAndReadStrides()
    {
        var x = Tensor.Arange(6).Reshape(2, 3); // [[0,1,2],[3,4,5]]
        Assert.Equal([0, 3, 1, 4, 2, 5], x.Transpose(0, 1).ToArray());
        Assert.Equal([1, 2, 4, 5], x.Narrow(1, 1, 2).ToArray());
        Assert.Equal([0, 1, 2, 0, 1, 2], x.Narrow(0, 0, 1).Expand(2, 3).ToArray());
        Assert.Equal([1, 1, 3], x.Narrow(0, 0, 1).Unsqueeze(0).Shape);
        Assert.Equal([3], x.Narrow(0, 1, 1).Squeeze(0).Shape);
        Assert.False(x.Transpose(0, 1).IsContiguous);
        x.AsSpan()[4] = 40f;
        Assert.Equal(40f, x.Transpose(0, 1)[1, 1]);
        Assert.Equal([0, 3, 1, 40, 2, 5], x.Transpose(0, 1).Reshape(-1).ToArray());
        Assert.Equal([3, 1, 2], x.Permute(1, 0).Unsqueeze(1).Shape);
    }

    [Fact]
    public void Reductions()
    {
        var x = T([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.Equal([9, 12], x.Sum(1).ToArray());
        Assert.Equal([2, 1], x.Sum(1, keepDim: true).Shape);
        Assert.Equal(21f, x.Sum().Item());
        Assert.Equal([2.5f, 3.5f, 4.5f], x.Mean(0).ToArray());
        Assert.Equal([5, 6], x.Max(1).ToArray());
        Assert.Equal([1, 2, 3], x.Min(0).ToArray());
        Assert.Equal([1, 2], x.ArgMax(1).ToArray());
        Assert.Equal([0, 1], x.ArgMin(1).ToArray());
        // Row 0 = (1,5,3): mean 3, squared deviations 4+4+0 = 8 → unbiased 4, biased 8/3.
        Assert.Equal(4f, x.Variance(1)[0], 1e-6f);
        Assert.Equal(8f / 3, x.Variance(1, unbiased: false)[0], 1e-6f);
    }

    [Fact]
    public void IndexingOps()
    {
        var x = T([0, 1, 2, 3, 4, 5], 3, 2);
        Assert.Equal([4, 5, 0, 1, 4, 5], x.IndexSelect(0, IntTensor.FromArray([2, 0, 2])).ToArray());
        Assert.Equal([1, 2, 5], x.Gather(1, IntTensor.FromArray([1, 0, 1], 3, 1)).ToArray());
        var added = Tensor.Zeros(2, 3).ScatterAdd(1, IntTensor.FromArray([0, 0, 2, 1], 2, 2), T([1, 2, 3, 4], 2, 2));
        Assert.Equal([3, 0, 0, 0, 4, 3], added.ToArray());
        var written = Tensor.Ones(2, 3).Scatter(1, IntTensor.FromArray([2, 0], 2, 1), T([7, 8], 2, 1));
        Assert.Equal([1, 1, 7, 8, 1, 1], written.ToArray());
        var table = T([0, 0, 1, 1, 2, 2, 3, 3], 4, 2);
        var e = table.Embedding(IntTensor.FromArray([3, 1, 1, 0], 2, 2));
        Assert.Equal([2, 2, 2], e.Shape);
        Assert.Equal([3, 3, 1, 1, 1, 1, 0, 0], e.ToArray());
    }

    [Fact]
    public void JoiningAndSplitting()
    {
        var a = T([1, 2, 3, 4], 2, 2);
        var b = T([5, 6], 2, 1);
        Assert.Equal([1, 2, 5, 3, 4, 6], Tensor.Concat([a, b], 1).ToArray());
        Assert.Equal([2, 2, 2], Tensor.Stack([a, a], 0).Shape);
        // Stacking on the last dimension pairs equal elements: [[1,1],[2,2]], [[3,3],[4,4]].
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4], Tensor.Stack([a, a], 2).ToArray());
        var pieces = Tensor.Arange(7).Split(3, 0);
        Assert.Equal([3, 3, 1], pieces.Select(p => p.Count));
        var chunks = Tensor.Arange(7).Chunk(2, 0);
        Assert.Equal([4, 3], chunks.Select(p => p.Count));
        Assert.Equal([4, 5, 6], chunks[1].ToArray());
    }

    [Fact]
    public void WhereAndMaskedFill()
    {
        var x = T([1, 2, 3, 4], 2, 2);
        var mask = T([0, 1], 2);
        Assert.Equal([1, -1, 3, -1], x.MaskedFill(mask, -1f).ToArray());
        Assert.Equal([1, 0, 3, 0], Tensor.Where(T([1, 0], 2), x, Tensor.Scalar(0f)).ToArray());
    }

    [Fact]
    public void ActivationsOnKnownPoints()
    {
        var x = T([-1, 0, 2], 3);
        Assert.Equal([0, 0, 2], x.Relu().ToArray());
        Assert.Equal([0.26894142f, 0.5f, 0.880797f], x.Sigmoid().ToArray(), new Tolerance(1e-6f));
        // gelu(x) = x Φ(x): Φ(−1) = 0.15865525, Φ(2) = 0.97724987.
        Assert.Equal([-0.15865525f, 0f, 1.9544997f], x.Gelu().ToArray(), new Tolerance(1e-6f));
        Assert.Equal([-0.26894142f, 0f, 1.761594f], x.Silu().ToArray(), new Tolerance(1e-6f));
        Assert.Equal([1, 4, 16], T([1, 2, 4], 3).Pow(2f).ToArray());
        Assert.Equal([1, 0.5f], T([1, 4], 2).Rsqrt().ToArray());
    }

    [Fact]
    public void CrossEntropyOnKnownValues()
    {
        // Uniform logits over 4 classes: loss = ln 4 for every counted row; the ignored row is excluded from the mean.
        var logits = Tensor.Zeros(3, 4);
        var targets = IntTensor.FromArray([1, -100, 3]);
        Assert.Equal(MathF.Log(4), Tensor.CrossEntropy(logits, targets).Item(), 1e-6f);
        Assert.Equal(2 * MathF.Log(4), Tensor.CrossEntropy(logits, targets, reduction: Reduction.Sum).Item(), 1e-6f);
        Assert.Equal([MathF.Log(4), 0, MathF.Log(4)], Tensor.CrossEntropy(logits, targets, reduction: Reduction.None).ToArray(), new Tolerance(1e-6f));
        Assert.Equal(0f, Tensor.CrossEntropy(logits, IntTensor.FromArray([-100, -100, -100])).Item());
    }

    [Fact]
    public void CreationIsDeterministicPerSeed()
    {
        Assert.Equal(Tensor.Randn(new Generator(9), 100).ToArray(), Tensor.Randn(new Generator(9), 100).ToArray());
        Assert.NotEqual(Tensor.Randn(new Generator(9), 100).ToArray(), Tensor.Randn(new Generator(10), 100).ToArray());
        var u = Tensor.Rand(new Generator(1), 10_000).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0f, 0.99999995f));
        Assert.Equal(0.5, u.Average(), 0.02);
        var n = Tensor.Randn(new Generator(2), 10_000).ToArray();
        Assert.Equal(0, n.Average(), 0.05);
        Assert.Equal(1, n.Select(v => v * (double)v).Average(), 0.05);
        Assert.Equal([0, 0.5f, 1, 1.5f], Tensor.Arange(0f, 2f, 0.5f).ToArray());
        Assert.Equal([7, 7], Tensor.Full(7f, 2).ToArray());
    }

    [Fact]
    public void DropoutKeepsExpectedFractionAndScales()
    {
        var y = Tensor.Ones(10_000).Dropout(0.25f, new Generator(5)).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - (1f / 0.75f)) < 1e-6f));
        Assert.Equal(0.25, y.Count(v => v == 0f) / 10_000d, 0.02);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
