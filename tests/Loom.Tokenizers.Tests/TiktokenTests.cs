// tiktoken rank files against the ids tiktoken / js-tiktoken give for a 24 KB Rust source file
// (shared/fixtures/tiktoken, from dotnet/machinelearning's Microsoft.ML.Tokenizers tests).
using System.IO.Compression;
using System.Text.Json;
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

public class TiktokenTests
{
    private static string Dir => Path.Combine(TestData.Dir, "tiktoken");

    private static TiktokenEncoding Load(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir, name + ".tiktoken.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return TiktokenEncoding.Create(name, TiktokenEncoding.ReadRanks(reader, name));
    }

    [Theory]
    [InlineData("cl100k_base", "tokens.json")]
    [InlineData("o200k_base", "tokens_gpt4o.json")]
    [InlineData("r50k_base", "tokens_r50k_base.json")]
    [InlineData("p50k_base", "tokens_p50k_base.json")]
    public void EncodesLibRsLikeTiktoken(string encoding, string expectedFile)
    {
        var enc = Load(encoding);
        string text = File.ReadAllText(Path.Combine(Dir, "lib.rs.txt"));
        var expected = JsonSerializer.Deserialize<int[]>(File.ReadAllText(Path.Combine(Dir, expectedFile)))!;
        var ids = enc.Encode(text);
        Assert.Equal(expected, ids);
        Assert.Equal(text, enc.Decode(ids));
    }

    [Fact]
    public void SpecialTokensAreOnlyMatchedWhenAskedFor()
    {
        var enc = Load("cl100k_base");
        Assert.Equal([100257], enc.EncodeWithSpecialTokens("<|endoftext|>"));
        Assert.True(enc.Encode("<|endoftext|>").Count > 1);
        Assert.Equal("a<|endoftext|>b", enc.Decode(enc.EncodeWithSpecialTokens("a<|endoftext|>b")));
    }

    [Fact]
    public void MalformedRankLineFailsWithLineNumber()
    {
        var e = Assert.Throws<TokenizerException>(() => TiktokenEncoding.ReadRanks(new StringReader("IQ== 0\nnot-a-line\n"), "bad.tiktoken"));
        Assert.Contains("bad.tiktoken:2", e.Message, StringComparison.Ordinal);
    }
}
