using Loom.Training.Data;
using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class CausalLmCollatorTests
{
    [Fact]
    public void LabelsAreInputsWithIgnoreOnPadding()
    {
        var batch = new CausalLmCollator(padId: 0, eosId: 9).Collate([[5, 6, 7], [8]]);
        Assert.Equal([5, 6, 7, 8, 0, 0], batch.InputIds.ToArray());
        Assert.Equal([1, 1, 1, 1, 0, 0], batch.AttentionMask.ToArray());
        Assert.Equal([5, 6, 7, 8, -100, -100], batch.Labels!.ToArray());
    }

    [Fact]
    public void PackedDocumentsRestartPositionsAfterEos()
    {
        var blocks = BlockPacker.Pack([[1, 2], [3, 4, 5], [6]], 4, eosId: 9).ToArray(); // 1 2 E 3 | 4 5 E 6
        var batch = new CausalLmCollator(padId: 0, eosId: 9, resetPositionsAtEos: true).Collate(blocks);
        Assert.Equal([0, 1, 2, 0, 0, 1, 2, 0], batch.PositionIds!.ToArray());
        Assert.DoesNotContain(-100, batch.Labels!.ToArray());
        Assert.Equal([0, 1, 2, 3], new CausalLmCollator(0, 9).Collate([blocks[0]]).PositionIds!.ToArray());
    }
}
