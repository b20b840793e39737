// SentencePiece .model files against the real SentencePiece library (python3-sentencepiece 0.1.97 outputs in
// shared/fixtures/hf/tokenizers/sp_*, copied to testdata/tokenizers/sentencepiece).
using System.Text.Json.Nodes;
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

public class SentencePieceTests
{
    private static string Dir(string name) => Path.Combine(TestData.Dir, "sentencepiece", name);

    [Theory]
    [InlineData("sp_unigram")]
    [InlineData("sp_bpe_llama_style")]
    public void EncodesLikeSentencePiece(string name)
    {
        var tok = SentencePieceTokenizers.Load(Path.Combine(Dir(name), "spm.model"));
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir(name), "expected.json")))!["cases"]!.AsArray();
        var diffs = new List<string>();
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var enc = tok.Encode(text, addSpecialTokens: false);
            var ids = c["ids"]!.AsArray().Select(x => (int)x!).ToArray();
            if (!ids.SequenceEqual(enc.Ids))
            {
                diffs.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: expected [{string.Join(",", ids)}] found [{string.Join(",", enc.Ids)}] ({string.Join("|", enc.Tokens)})");
            }
            else if ((string)c["decoded"]! != tok.Decode(enc.Ids))
            {
                diffs.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: decoded \"{tok.Decode(enc.Ids)}\" expected \"{(string)c["decoded"]!}\"");
            }
        }

        Assert.True(cases.Count > 40);
        Assert.True(diffs.Count == 0, $"{diffs.Count} of {cases.Count} differ:\n" + string.Join("\n", diffs.Take(8)));
    }

    [Fact]
    public void TruncatedModelFailsClearly()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir("sp_unigram"), "spm.model"));
        var e = Assert.Throws<TokenizerException>(() => SentencePieceModel.Parse(bytes[..(bytes.Length / 2)], "half.model"));
        Assert.Contains("half.model", e.Message, StringComparison.Ordinal);
    }
}
