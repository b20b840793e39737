// llama2.c tokenizer.bin: ids from llama2.c's own test vectors (Meta's Llama 2 tokenizer), a cross-check with the
// Hugging Face llama2 tokenizer.json on the fixture strings, round trips and corrupt files.
using System.Text.Json.Nodes;
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

public class Llama2CTokenizerTests
{
    private static readonly Lazy<Llama2CTokenizer> Llama2 = new(() => Llama2CTokenizer.Load(Path.Combine(TestData.Dir, "llama2c", "tokenizer.bin")));

    [Fact]
    public void EncodesLlama2CTestVectors()
    {
        var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.Dir, "llama2c", "tokenizer_vectors.json")))!["cases"]!.AsArray();
        Assert.Equal(5, vectors.Count);
        foreach (var c in vectors)
        {
            var expected = c!["ids"]!.AsArray().Select(x => (int)x!).ToArray();
            Assert.Equal(expected, Llama2.Value.Encode((string)c["text"]!, bos: true, eos: false));
        }
    }

    [Fact]
    public void MatchesHuggingFaceLlama2TokenizerOnFixtureStrings()
    {
        var hf = TestData.LoadTokenizer("llama2");
        var cases = TestData.ReadJson("llama2.expected.json.gz")["single"]!.AsArray();
        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var expected = c["encoding"]!["ids"]!.AsArray().Select(x => (int)x!).ToArray();
            if (text.Contains("<s>", StringComparison.Ordinal) || text.Contains("</s>", StringComparison.Ordinal) || text.Contains("<unk>", StringComparison.Ordinal))
            {
                continue; // HF matches added tokens in text; llama2.c has no added-token matching.
            }

            if (text.Contains('\u2581', StringComparison.Ordinal))
            {
                continue; // tokenizer.bin stores '▁' as ' ', so a literal '▁' in the text is not a piece character there.
            }

            var actual = Llama2.Value.Encode(text, bos: true);
            if (!expected.SequenceEqual(actual))
            {
                mismatches.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: HF [{string.Join(",", expected)}] llama2.c [{string.Join(",", actual)}]");
            }
        }

        Assert.True(cases.Count > 90);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
    }

    [Theory]
    [InlineData("I believe the meaning of life is")]
    [InlineData("naïve café 😀 你好\n\ttabs")]
    [InlineData("")]
    public void DecodeInvertsEncode(string text)
    {
        var ids = Llama2.Value.Encode(text, bos: true);
        Assert.Equal(text, Llama2.Value.Decode(ids));
    }

    [Fact]
    public void Tok512LoadsAndRoundTrips()
    {
        var tok = Llama2CTokenizer.Load(Path.Combine(TestData.Dir, "llama2c", "tok512.bin"));
        Assert.Equal(512, tok.VocabSize);
        const string text = "Once upon a time, there was a little girl named Lily.";
        Assert.Equal(text, tok.Decode(tok.Encode(text)));
    }

    [Fact]
    public void TruncatedFileFailsWithClearMessage()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestData.Dir, "llama2c", "tok512.bin"));
        var e = Assert.Throws<TokenizerException>(() => Llama2CTokenizer.Parse(bytes.AsSpan(0, bytes.Length - 3), vocabSize: 512));
        Assert.Contains("token 511", e.Message, StringComparison.Ordinal);
        Assert.Throws<TokenizerException>(() => Llama2CTokenizer.Parse(bytes.AsSpan(0, 2)));
    }
}
