using Loom.Tokenizers;
using Loom.Tokenizers.Models;
using Xunit;

namespace Loom.Tokenizers.Tests;

/// <summary>
/// BpeModel cuts SentencePiece-style words before each ▁ that follows another character and caches the pieces;
/// hand-derived cases check that offsets stay relative to the whole word and that a vocabulary whose tokens cross
/// such a cut is merged whole.
/// </summary>
public sealed class BpeMetaspaceCutTests
{
    [Fact]
    public void PiecesAfterACutKeepOffsetsIntoTheWord()
    {
        var model = new BpeModel(new Dictionary<string, int> { ["▁"] = 0, ["a"] = 1, ["b"] = 2, ["▁b"] = 3 }, [("▁", "b")]);
        var tokens = new List<Token>();
        model.Tokenize("a▁b▁b", tokens);
        model.Tokenize("a▁b▁b", tokens); // second time from the cache
        Token[] once = [new(1, "a", 0, 1), new(3, "▁b", 1, 3), new(3, "▁b", 3, 5)];
        Assert.Equal([.. once, .. once], tokens);
    }

    [Fact]
    public void VocabularyWithATokenAcrossTheCutIsNotCut()
    {
        var model = new BpeModel(new Dictionary<string, int> { ["▁"] = 0, ["a"] = 1, ["b"] = 2, ["a▁"] = 3 }, [("a", "▁")]);
        var tokens = new List<Token>();
        model.Tokenize("a▁b", tokens);
        Assert.Equal([new Token(3, "a▁", 0, 2), new Token(2, "b", 2, 3)], tokens);
    }
}
