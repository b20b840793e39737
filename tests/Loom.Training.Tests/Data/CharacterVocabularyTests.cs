using System.Text;
using Loom.Training.Data;

namespace Loom.Training.Tests.Data;

public sealed class CharacterVocabularyTests
{
    [Fact]
    public void SortedByCodePointAndRoundTrips()
    {
        const string text = "床前明月光\n疑是地上霜 𠀀ab";
        var vocabulary = CharacterVocabulary.FromText(text);
        Assert.Equal(text.EnumerateRunes().Distinct().Count(), vocabulary.Count);
        Assert.Equal(vocabulary.Characters.OrderBy(r => r.Value), vocabulary.Characters);
        Assert.Equal(new Rune('\n'), vocabulary.Characters[0]);
        Assert.Equal(new Rune(0x20000), vocabulary.Characters[^1]); // outside the BMP, sorted by code point (not UTF-16 unit)
        Assert.Equal(text, vocabulary.Decode(vocabulary.Encode(text)));
        Assert.Throws<DataFormatException>(() => vocabulary.Encode("明天"));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([vocabulary.Count]));
    }

    // nanoGPT data/shakespeare_char/prepare.py prints: vocab size 65, train 1,003,854 tokens, val 111,540 tokens.
    [SharedDataFact("tinyshakespeare/input.txt")]
    public void TinyShakespeareMatchesNanoGpt()
    {
        var text = TextLoader.ReadAll(SharedDataFactAttribute.Locate("tinyshakespeare/input.txt")!);
        var vocabulary = CharacterVocabulary.FromText(text);
        Assert.Equal(65, vocabulary.Count);
        var ids = vocabulary.Encode(text);
        var split = (int)(ids.Length * 0.9);
        Assert.Equal(1_003_854, split);
        Assert.Equal(111_540, ids.Length - split);
    }
}
