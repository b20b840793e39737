using Loom.Core;

namespace Loom.Nn.Tests;

/// <summary>
/// The fixed-capacity cache against the growing one, its overflow error, and row reordering (beam search) against a
/// plain gather of the cached values.
/// </summary>
public sealed class KvCacheTests
{
    private static Tensor Chunk(ulong seed, int batch, int length) => Tensor.Randn(new Generator(seed), batch, 2, length, 3); // (B, KvH, T, D)

    /// <summary>Row r of a (B, KvH, S, D) tensor as a flat array.</summary>
    private static float[] Row(Tensor t, int r) => t.Narrow(0, r, 1).Contiguous().ToArray();

    [Theory]
    [InlineData(null)]
    [InlineData(9)]
    public void AppendsEqualTheConcatenatedChunks(int? capacity)
    {
        var cache = capacity is { } c ? new KvCache(c) : new KvCache();
        Tensor[] keys = [Chunk(1, 2, 4), Chunk(2, 2, 1), Chunk(3, 2, 3)];
        Tensor[] values = [Chunk(4, 2, 4), Chunk(5, 2, 1), Chunk(6, 2, 3)];
        for (var i = 0; i < keys.Length; i++)
        {
            cache.Append(keys[i], values[i]);
        }

        Assert.Equal(8, cache.Length);
        Assert.Equal([2, 2, 8, 3], cache.Keys!.Shape);
        Assert.Equal(Tensor.Concat(keys, 2).ToArray(), cache.Keys.ToArray());
        Assert.Equal(Tensor.Concat(values, 2).ToArray(), cache.Values!.ToArray());
    }

    [Fact]
    public void AFixedCacheHandsOutViewsOfOneBuffer()
    {
        var cache = new KvCache(6);
        var (first, _) = cache.Append(Chunk(1, 1, 2), Chunk(2, 1, 2));
        var (second, _) = cache.Append(Chunk(3, 1, 1), Chunk(4, 1, 1));
        Assert.False(second.IsContiguous); // (1, 2, 3, 3) cut from a (1, 2, 6, 3) buffer: not a fresh tensor
        Assert.Equal(first.ToArray(), second.Narrow(2, 0, 2).ToArray());
    }

    [Fact]
    public void AGrowingCacheWithoutGradientEqualsConcatenationAcrossItsBufferDoublings()
    {
        var cache = new KvCache();
        var keys = new List<Tensor> { Chunk(1, 2, 3) };
        var values = new List<Tensor> { Chunk(2, 2, 3) };
        cache.Append(keys[0], values[0]);
        for (var step = 0; step < 150; step++) // 3 positions, then one per step: buffers of 67, 136 and 274 positions
        {
            keys.Add(Chunk(10 + (ulong)step, 2, 1));
            values.Add(Chunk(500 + (ulong)step, 2, 1));
            var (k, v) = cache.Append(keys[^1], values[^1]);
            Assert.Equal(Tensor.Concat([.. keys], 2).ToArray(), k.ToArray());
            Assert.Equal(Tensor.Concat([.. values], 2).ToArray(), v.ToArray());
        }
    }

    [Fact]
    public void AGrowingCacheOfTensorsWithGradientConcatenatesAndKeepsTheGraph()
    {
        var cache = new KvCache();
        var first = Chunk(1, 1, 2);
        first.RequiresGrad = true;
        cache.Append(first, Chunk(2, 1, 2));
        var (keys, _) = cache.Append(Chunk(3, 1, 1), Chunk(4, 1, 1));
        Assert.True(keys.RequiresGrad);
        keys.Sum().Backward();
        Assert.All(first.Grad!.ToArray(), g => Assert.Equal(1f, g));
    }

    [Fact]
    public void AFixedCacheThrowsWhenItOverflows()
    {
        var cache = new KvCache(4);
        cache.Append(Chunk(1, 1, 3), Chunk(2, 1, 3));
        var error = Assert.Throws<KvCacheOverflowException>(() => cache.Append(Chunk(3, 1, 2), Chunk(4, 1, 2)));
        Assert.Contains("capacity 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, cache.Length);
    }

    [Theory]
    [InlineData(null, new[] { 1, 0, 2, 3 })] // swap
    [InlineData(null, new[] { 2, 2, 0, 3 })] // duplicate, a source overwritten after it is read
    [InlineData(5, new[] { 3, 0, 1, 2 })] // rotation: every source is overwritten
    [InlineData(5, new[] { 0, 0, 0, 0 })]
    [InlineData(5, new[] { 2, 3 })] // fewer rows
    [InlineData(null, new[] { 3, 3, 1, 1, 0, 2 })] // more rows
    [InlineData(5, new[] { 3, 3, 1, 1, 0, 2 })]
    public void ReorderEqualsGatheringTheRows(int? capacity, int[] rows)
    {
        var cache = capacity is { } c ? new KvCache(c) : new KvCache();
        Tensor[] keys = [Chunk(1, 4, 2), Chunk(2, 4, 1)];
        Tensor[] values = [Chunk(3, 4, 2), Chunk(4, 4, 1)];
        cache.Append(keys[0], values[0]);
        cache.Append(keys[1], values[1]);
        var allKeys = Tensor.Concat(keys, 2);
        var allValues = Tensor.Concat(values, 2);

        cache.Reorder(rows);

        Assert.Equal([rows.Length, 2, 3, 3], cache.Keys!.Shape);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Row(allKeys, rows[i]), Row(cache.Keys, i));
            Assert.Equal(Row(allValues, rows[i]), Row(cache.Values!, i));
        }

        // The cache keeps growing from the reordered rows.
        var next = Chunk(5, rows.Length, 1);
        cache.Append(next, next);
        Assert.Equal(4, cache.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Row(allKeys, rows[i]), Row(cache.Keys.Narrow(2, 0, 3), i));
            Assert.Equal(Row(next, i), Row(cache.Keys.Narrow(2, 3, 1), i));
        }
    }

    [Fact]
    public void AttentionOverAFixedCacheEqualsAttentionOverAGrowingOne()
    {
        var w = Weights.Initialize(new Generator(7));
        var attention = new MultiHeadAttention(new Linear(w.Scope("q"), 16, 16), new Linear(w.Scope("k"), 16, 8), new Linear(w.Scope("v"), 16, 8),
            new Linear(w.Scope("o"), 16, 16), heads: 4, kvHeads: 2, new RotaryEmbedding(4), alibi: false);
        var x = Tensor.Randn(new Generator(8), 2, 6, 16);
        var (growing, fixedSize) = (new KvCache(), new KvCache(10));
        foreach (var (start, length) in new[] { (0, 3), (3, 1), (4, 2) })
        {
            var piece = x.Narrow(1, start, length);
            Assert.Equal(attention.Forward(piece, causal: true, cache: growing).ToArray(), attention.Forward(piece, causal: true, cache: fixedSize).ToArray());
        }
    }

    [Fact]
    public void ReorderRejectsAMissingRow()
    {
        var cache = new KvCache();
        cache.Append(Chunk(1, 2, 1), Chunk(2, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Reorder([0, 2]));
        Assert.Throws<InvalidOperationException>(() => new KvCache().Reorder([0]));
    }
}
