using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class BlockPackerTests
{
    private const int Eos = 0;

    [Fact]
    public void DocumentsAreJoinedWithEosAndCutIntoFullBlocks()
    {
        int[][] docs = [[1, 2, 3], [], [4, 5, 6, 7, 8], [9]];
        // stream: 1 2 3 E E 4 5 6 7 8 E 9 E  (13 ids)
        var blocks = BlockPacker.Pack(docs, 4, Eos).ToArray();
        Assert.Equal([[1, 2, 3, Eos], [Eos, 4, 5, 6], [7, 8, Eos, 9]], blocks);
        var withLast = BlockPacker.Pack(docs, 4, Eos, keepLast: true).ToArray();
        Assert.Equal(4, withLast.Length);
        Assert.Equal([Eos], withLast[^1]);
    }

    [Fact]
    public void PackingIsLosslessOverManyDocuments()
    {
        var rng = new Loom.Core.Generator(5);
        var docs = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, rng.NextInt(40)).Select(_ => 1 + rng.NextInt(50)).ToArray()).ToArray();
        var stream = docs.SelectMany(d => d.Append(Eos)).ToArray();
        var blocks = BlockPacker.Pack(docs, 64, Eos, keepLast: true).ToArray();
        Assert.All(blocks[..^1], b => Assert.Equal(64, b.Length));
        Assert.Equal(stream, blocks.SelectMany(b => b));
    }

    [Fact]
    public void WindowsAreShiftedByStride()
    {
        var windows = BlockPacker.Windows([10, 11, 12, 13, 14, 15], 3, 2).ToArray();
        Assert.Equal([[10, 11, 12, 13], [12, 13, 14, 15]], windows);
    }
}
