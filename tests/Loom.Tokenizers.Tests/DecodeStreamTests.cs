// DecodeStream against the decode of every prefix recorded by Hugging Face tokenizers (decode_prefixes in
// tests/testdata/tokenizers/*.expected.json.gz): after each id, the text emitted so far must equal HF's decode of
// the ids so far whenever that decode ends in a complete character, and no piece may hold half of a character.
namespace Loom.Tokenizers.Tests;

public class DecodeStreamTests
{
    [Theory]
    [MemberData(nameof(HfFixtureConformanceTests.Names), MemberType = typeof(HfFixtureConformanceTests))]
    public void EmittedTextFollowsEveryCompleteDecodedPrefix(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        int checkedPrefixes = 0;
        foreach (var c in expected["decode_prefixes"]!.AsArray())
        {
            var ids = c!["ids"]!.AsArray().Select(x => (int)x!).ToList();
            var prefixes = c["decoded_prefixes"]!.AsArray().Select(p => (string)p!).ToList();
            var stream = new DecodeStream(tok, skipSpecialTokens: false);
            var emitted = new System.Text.StringBuilder();
            for (int k = 1; k <= ids.Count; k++)
            {
                if (stream.Step(ids[k - 1]) is { } piece)
                {
                    Assert.False(char.IsHighSurrogate(piece[^1]), $"{name} case {c["index"]}: piece ends in half a surrogate pair");
                    Assert.True(prefixes[^1].Contains('\uFFFD', StringComparison.Ordinal) || !piece.Contains('\uFFFD', StringComparison.Ordinal), $"{name} case {c["index"]}: piece '{piece}' holds U+FFFD");
                    emitted.Append(piece);
                }

                Assert.StartsWith(emitted.ToString(), prefixes[k], StringComparison.Ordinal);
                if (!prefixes[k].EndsWith('\uFFFD'))
                {
                    Assert.Equal(prefixes[k], emitted.ToString());
                    checkedPrefixes++;
                }
            }
        }

        Assert.True(checkedPrefixes > 0, $"{name}: no decode prefix was compared");
    }

    [Fact]
    public void MultiByteCharacterSplitOverByteTokensIsEmittedWhole()
    {
        var tok = TestData.LoadTokenizer("gpt2");
        var ids = tok.Encode("猫").Ids.ToList();
        Assert.True(ids.Count > 1, "expected 猫 to take more than one byte-level token in GPT-2");
        var stream = new DecodeStream(tok);
        var pieces = ids.Select(stream.Step).ToList();
        Assert.All(pieces.Take(ids.Count - 1), Assert.Null);
        Assert.Equal("猫", pieces[^1]);
    }
}
