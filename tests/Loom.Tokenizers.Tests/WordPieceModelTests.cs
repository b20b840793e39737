// WordPiece greedy longest-match on small hand-derived cases: surrogate pairs where the search starts at the longest
// vocabulary entry, long words, and the code-point (not UTF-16) length limit.
using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Tests;

public class WordPieceModelTests
{
    private static List<Token> Tokenize(WordPieceModel model, string word)
    {
        var output = new List<Token>();
        model.Tokenize(word, output);
        return output;
    }

    [Fact]
    public void LongestMatchNeverSplitsASurrogatePair()
    {
        // Longest entries: "[UNK]" (5 units), "##😀" (2 units after the prefix). In "😀😀😀" the first search would
        // start at unit 5, inside the third emoji; it starts at 4 ("😀😀", absent), then "😀" matches.
        var model = new WordPieceModel(new Dictionary<string, int> { ["😀"] = 0, ["##😀"] = 1, ["[UNK]"] = 2 });
        var tokens = Tokenize(model, "😀😀😀");
        Assert.Equal([0, 1, 1], tokens.Select(t => t.Id));
        Assert.Equal([(0, 2), (2, 4), (4, 6)], tokens.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void WordsLongerThanEveryTokenAreCoveredGreedily()
    {
        var model = new WordPieceModel(new Dictionary<string, int> { ["a"] = 0, ["##a"] = 1, ["aa"] = 2, ["##aaa"] = 3, ["[UNK]"] = 4 });
        // "aa" first (longest initial), then "##aaa" twice, then "##a": 2 + 3 + 3 + 1 = 9 characters.
        Assert.Equal([2, 3, 3, 1], Tokenize(model, new string('a', 9)).Select(t => t.Id));
        Assert.Equal([4], Tokenize(model, "aab").Select(t => t.Id)); // one piece missing: the whole word is unknown
    }

    [Fact]
    public void TheLengthLimitCountsCodePoints()
    {
        var model = new WordPieceModel(new Dictionary<string, int> { ["😀"] = 0, ["##😀"] = 1, ["[UNK]"] = 2 }, maxInputCharsPerWord: 100);
        Assert.Equal(60, Tokenize(model, string.Concat(Enumerable.Repeat("😀", 60))).Count); // 120 UTF-16 units, 60 code points
        Assert.Equal([2], Tokenize(model, string.Concat(Enumerable.Repeat("😀", 101))).Select(t => t.Id));
    }
}
