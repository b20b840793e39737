using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class PrefixLmMaskTests
{
    [Fact]
    public void AgreesWithTheCoreAdditiveMaskWithoutPadding()
    {
        var mask = PrefixLmMask.Build(IntTensor.FromArray([3]), IntTensor.FromArray([1, 1, 1, 1, 1, 1], 1, 6)).ToArray();
        var additive = AttentionMasks.Prefix(3, 6).ToArray();
        Assert.Equal(additive.Select(v => v == 0f ? 1 : 0), mask);
    }

    [Fact]
    public void PaddingKeysAreHidden()
    {
        var mask = PrefixLmMask.Build(IntTensor.FromArray([2, 1]), IntTensor.FromArray([1, 1, 1, 0, 1, 1, 1, 1], 2, 4));
        Assert.Equal([2, 4, 4], mask.Shape);
        // row 0, query 0: prefix keys 0 and 1; query 2: keys 0..2; key 3 is padding for every query
        Assert.Equal([1, 1, 0, 0], Enumerable.Range(0, 4).Select(j => mask[0, 0, j]));
        Assert.Equal([1, 1, 1, 0], Enumerable.Range(0, 4).Select(j => mask[0, 3, j]));
        Assert.Equal([1, 0, 0, 0], Enumerable.Range(0, 4).Select(j => mask[1, 0, j]));
        Assert.Throws<TensorShapeException>(() => PrefixLmMask.Build(IntTensor.FromArray([1]), IntTensor.FromArray([1, 1, 1, 1], 2, 2)));
    }

    [Fact]
    public void AgreesWithTheCorePerExampleAdditiveMaskWithPadding()
    {
        var (prefixes, padding) = (IntTensor.FromArray([2, 1, 4]), IntTensor.FromArray([1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1], 3, 4));
        var mask = PrefixLmMask.Build(prefixes, padding).ToArray();
        var additive = AttentionMasks.Prefix(prefixes, padding);
        Assert.Equal([3, 1, 4, 4], additive.Shape);
        Assert.Equal(additive.ToArray().Select(v => v == 0f ? 1 : 0), mask);
        Assert.Equal(AttentionMasks.Prefix(2, 4).ToArray(), AttentionMasks.Prefix(IntTensor.FromArray([2]), IntTensor.FromArray([1, 1, 1, 1], 1, 4)).ToArray());
    }
}
