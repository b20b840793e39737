// Tokenizers built from original vocabulary files: against transformers' slow BertTokenizer / GPT2Tokenizer outputs
// (shared/fixtures/hf/tokenizers, copied to testdata/tokenizers/hf_slow), and the same BERT vocabulary loaded from
// vocab.txt and from tokenizer.json must encode identically.
using System.Text.Json.Nodes;
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

public class VocabFileTokenizerTests
{
    private static string Slow(string name) => Path.Combine(TestData.Dir, "hf_slow", name);

    private static int[] Ints(JsonNode? n) => n!.AsArray().Select(x => (int)x!).ToArray();

    [Theory]
    [InlineData("wordpiece_uncased")]
    [InlineData("wordpiece_cased")]
    public void BertVocabTxtMatchesSlowBertTokenizer(string name)
    {
        var tok = AutoTokenizer.Load(Slow(name));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Slow(name), "expected.json")))!;
        var cases = expected["cases"]!.AsArray();
        Assert.True(cases.Count >= 50);
        int checkedCases = 0;
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var nfc = new NormalizedString(text);
            new Normalizers.UnicodeNormalizer(Normalizers.NormalizationForm.Nfc).Normalize(nfc);
            if (nfc.Text != text)
            {
                continue; // transformers' slow BasicTokenizer NFC-normalizes its input first; the Rust (fast) pipeline does not.
            }

            var enc = tok.Encode(text);
            Assert.Equal(Ints(c["encoding"]!["input_ids"]), enc.Ids);
            Assert.Equal(Ints(c["encoding"]!["token_type_ids"]), enc.TypeIds);
            Assert.Equal(Ints(c["encoding"]!["special_tokens_mask"]), enc.SpecialTokensMask);
            Assert.Equal(c["tokens"]!.AsArray().Select(x => (string)x!), tok.Encode(text, addSpecialTokens: false).Tokens);

            // Decoding is not compared: the fast WordPiece decoder cleans up spaces per token, the slow tokenizer on the
            // joined string (" ' " → "'"); decode is checked against the fast library in HfFixtureConformanceTests.
            checkedCases++;
        }

        Assert.True(checkedCases >= 48, $"only {checkedCases} cases checked");

        foreach (var p in expected["pairs"]!.AsArray())
        {
            var enc = tok.Encode((string)p!["text"]!, (string)p["text_pair"]!);
            Assert.Equal(Ints(p["encoding"]!["input_ids"]), enc.Ids);
            Assert.Equal(Ints(p["encoding"]!["token_type_ids"]), enc.TypeIds);
        }
    }

    [Fact]
    public void Gpt2VocabAndMergesMatchSlowGpt2Tokenizer()
    {
        var tok = AutoTokenizer.Load(Slow("gpt2_bpe_tiny"));
        var prefixed = VocabFileTokenizers.Gpt2(Path.Combine(Slow("gpt2_bpe_tiny"), "vocab.json"), Path.Combine(Slow("gpt2_bpe_tiny"), "merges.txt"), addPrefixSpace: true);
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(Slow("gpt2_bpe_tiny"), "expected.json")))!["cases"]!.AsArray();
        Assert.True(cases.Count >= 50);
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            var enc = tok.Encode(text);
            Assert.Equal(c["tokens"]!.AsArray().Select(x => (string)x!), enc.Tokens);
            Assert.Equal(Ints(c["encoding"]!["input_ids"]), enc.Ids);
            Assert.Equal((string)c["decoded_no_cleanup"]!, tok.Decode(enc.Ids, skipSpecialTokens: false));
            // The slow tokenizer always prepends the space; the fast ByteLevel pre-tokenizer only when the text does not start with one.
            if (c["add_prefix_space"] is JsonNode ap && text.Length > 0 && text[0] != ' ')
            {
                Assert.Equal(Ints(ap["input_ids"]), prefixed.Encode(text).Ids);
            }
        }
    }

    [Fact]
    public void BertVocabTxtEncodesLikeTokenizerJson()
    {
        var fromVocab = VocabFileTokenizers.Bert(Path.Combine(TestData.Dir, "vocab_files", "bert-base-uncased-vocab.txt"));
        var fromJson = TestData.LoadTokenizer("bert-base-uncased");
        var strings = TestData.ReadJson("bert-base-uncased.expected.json.gz")["single"]!.AsArray().Select(c => (string)c!["text"]!).ToList();
        Assert.True(strings.Count > 90);
        foreach (var s in strings)
        {
            var a = fromVocab.Encode(s);
            var b = fromJson.Encode(s);
            Assert.Equal(b.Ids, a.Ids);
            Assert.Equal(b.Offsets, a.Offsets);
            Assert.Equal(fromJson.Decode(b.Ids), fromVocab.Decode(a.Ids));
        }
    }

    [Fact]
    public void BadMergesLineFailsWithLineNumber()
    {
        string path = Path.GetTempFileName();
        File.WriteAllLines(path, ["#version: 0.2", "a b", "a b c"]);
        var e = Assert.Throws<TokenizerException>(() => VocabFileTokenizers.ReadMerges(path));
        Assert.Contains(":3:", e.Message, StringComparison.Ordinal);
        File.Delete(path);
    }
}
