// GGUF vocabularies against llama.cpp's vocab test vectors (tests/testdata/tokenizers/llama_cpp_vocab, copied from
// shared/fixtures/llama_cpp_vocab: ids from Hugging Face AutoTokenizer for the original models), plus the metadata
// itself, special tokens, round trips and corrupt files.
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

public class GgufTokenizerTests
{
    public static TheoryData<string> WithVectors => new() { "bert-bge", "gpt-2", "llama-spm", "phi-3", "starcoder", "falcon" };

    private static string Show(IEnumerable<int> ids) => "[" + string.Join(",", ids) + "]";

    [Theory]
    [MemberData(nameof(WithVectors))]
    public void EncodesAllLlamaCppVectors(string name)
    {
        var tokenizer = LlamaCppVocab.Tokenizer(name);
        var cases = LlamaCppVocab.Cases(name);
        var mismatches = new List<string>();
        foreach (var (text, ids) in cases)
        {
            var actual = tokenizer.Encode(text, addSpecialTokens: false).Ids;
            if (!actual.SequenceEqual(ids))
            {
                mismatches.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: expected {Show(ids)} found {Show(actual)}");
            }
        }

        Assert.Equal(46, cases.Count);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count}/{cases.Count} differ:\n" + string.Join("\n", mismatches.Take(8)));
    }

    [Theory]
    [InlineData("gpt-2")]
    [InlineData("starcoder")]
    [InlineData("falcon")]
    [InlineData("llama-spm")]
    [InlineData("phi-3")]
    public void DecodeInvertsTheVectorIds(string name)
    {
        // Byte-level BPE is lossless, and so is SentencePiece BPE with byte fallback (the dummy-prefix space is
        // stripped again); the vectors' ids decode back to their strings.
        var tokenizer = LlamaCppVocab.Tokenizer(name);
        var failures = LlamaCppVocab.Cases(name)
            .Where(c => tokenizer.Decode(c.Ids, skipSpecialTokens: false) != c.Text)
            .Select(c => $"{System.Text.Json.JsonSerializer.Serialize(c.Text)} -> {System.Text.Json.JsonSerializer.Serialize(tokenizer.Decode(c.Ids, false))}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(8)));
    }

    [Fact]
    public void ReadsTheMetadataOfEveryVocabulary()
    {
        var llama = LlamaCppVocab.Vocabulary("llama-spm");
        Assert.Equal(("llama", "default", "llama"), (llama.Model, llama.Pre, llama.Architecture));
        Assert.Equal(32000, llama.Tokens.Count);
        Assert.Equal(("<unk>", "<s>", "</s>", "<0x00>"), (llama.Tokens[0], llama.Tokens[1], llama.Tokens[2], llama.Tokens[3]));
        Assert.Equal((GgufTokenType.Unknown, GgufTokenType.Control, GgufTokenType.Byte), (llama.TypeOf(0), llama.TypeOf(1), llama.TypeOf(3)));
        Assert.Equal((1, 2, 0), (llama.BosId, llama.EosId, llama.UnkId));
        Assert.Equal((true, false), (llama.AddBos, llama.AddEos));
        Assert.Null(llama.Merges);

        var phi3 = LlamaCppVocab.Vocabulary("phi-3");
        Assert.Equal((32064, 32000, 32000, -1000f), (phi3.Tokens.Count, phi3.EosId, phi3.PaddingId, phi3.Scores![0]));

        var gpt2 = LlamaCppVocab.Vocabulary("gpt-2");
        Assert.Equal(("gpt2", "gpt-2", 50257, 50000), (gpt2.Model, gpt2.Pre, gpt2.Tokens.Count, gpt2.Merges!.Count));
        Assert.Equal(("Ġ t", 50256, 50256), (gpt2.Merges[0], gpt2.BosId, gpt2.EosId));

        var bert = LlamaCppVocab.Vocabulary("bert-bge");
        Assert.Equal(("bert", "bert-bge", 30522), (bert.Model, bert.Pre, bert.Tokens.Count));
        Assert.Equal((100, 102, 0, 101, 103), (bert.UnkId, bert.SeparatorId, bert.PaddingId, bert.ClsId, bert.MaskId));

        Assert.Equal(("gpt2", null, 50009), (LlamaCppVocab.Vocabulary("gpt-neox").Model, LlamaCppVocab.Vocabulary("gpt-neox").Pre, LlamaCppVocab.Vocabulary("gpt-neox").Merges!.Count));
        Assert.Equal(("llama", 64000), (LlamaCppVocab.Vocabulary("baichuan").Model, LlamaCppVocab.Vocabulary("baichuan").Tokens.Count));
    }

    [Fact]
    public void BertTokensAreTheOriginalVocabTxt()
    {
        // llama.cpp stored "##x" as "x" and word-initial "x" as "▁x"; undone, the tokens are bert-base-uncased's vocab.txt.
        var fromGguf = LlamaCppVocab.Vocabulary("bert-bge").Tokens.Select(GgufTokenizers.BertTokenFromGguf).ToList();
        var vocabTxt = File.ReadAllLines(Path.Combine(TestData.Dir, "vocab_files", "bert-base-uncased-vocab.txt"));
        Assert.Equal(vocabTxt.Length, fromGguf.Count);
        Assert.Equal(vocabTxt, fromGguf);
    }

    [Fact]
    public void AddsSpecialTokensAsTheFlagsSay()
    {
        // llama-spm: add_bos_token true, add_eos_token false; bert: [CLS] … [SEP]; gpt-2: nothing.
        static int[] Vector(string name) => LlamaCppVocab.Cases(name).First(c => c.Text == "Hello world").Ids;
        Assert.Equal([1, .. Vector("llama-spm")], LlamaCppVocab.Tokenizer("llama-spm").Encode("Hello world").Ids);
        Assert.Equal([101, .. Vector("bert-bge"), 102], LlamaCppVocab.Tokenizer("bert-bge").Encode("Hello world").Ids);
        Assert.Equal(Vector("gpt-2"), LlamaCppVocab.Tokenizer("gpt-2").Encode("Hello world").Ids);
    }

    [Fact]
    public void MatchesControlTokensInText()
    {
        var gpt2 = LlamaCppVocab.Tokenizer("gpt-2");
        Assert.Equal([15496, 50256, 995], gpt2.Encode("Hello<|endoftext|> world", addSpecialTokens: false).Ids);
        Assert.Equal("Hello world", gpt2.Decode([15496, 50256, 995], skipSpecialTokens: true));

        var llama = LlamaCppVocab.Tokenizer("llama-spm");
        var ids = llama.Encode("Hello</s>", addSpecialTokens: false).Ids;
        Assert.Equal(2, ids[^1]);
    }

    [Fact]
    public void GgufWithoutVectorsLoadsAndRoundTrips()
    {
        foreach (var name in new[] { "gpt-neox", "baichuan" })
        {
            var tokenizer = LlamaCppVocab.Tokenizer(name);
            foreach (var (text, _) in LlamaCppVocab.Cases("gpt-2").Where(c => c.Text.Length > 0))
            {
                var ids = tokenizer.Encode(text, addSpecialTokens: false).Ids;
                Assert.NotEmpty(ids);
                if (name == "gpt-neox")
                {
                    Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false)); // byte-level BPE is lossless
                }
            }
        }
    }

    [Fact]
    public void CorruptFilesFailWithAClearMessage()
    {
        byte[] good = LlamaCppVocab.GgufBytes("bert-bge");

        var notGguf = Assert.Throws<TokenizerException>(() => GgufVocabulary.Read(new MemoryStream("{\"a\":1}"u8.ToArray()), "x.gguf"));
        Assert.Contains("magic", notGguf.Message, StringComparison.Ordinal);

        byte[] v1 = (byte[])good.Clone();
        v1[4] = 1;
        Assert.Contains("version 2 or 3, found 1", Assert.Throws<TokenizerException>(() => GgufVocabulary.Read(new MemoryStream(v1), "x.gguf")).Message, StringComparison.Ordinal);

        foreach (int length in new[] { 3, 10, 30, good.Length / 2, good.Length - 1 })
        {
            var e = Assert.Throws<TokenizerException>(() => GgufVocabulary.Read(new MemoryStream(good[..length]), "cut.gguf"));
            Assert.StartsWith("cut.gguf: ", e.Message, StringComparison.Ordinal);
        }

        // A key/value count far beyond the file size is rejected before anything is allocated.
        byte[] huge = (byte[])good.Clone();
        BitConverter.TryWriteBytes(huge.AsSpan(16), long.MaxValue);
        Assert.Contains("key/values", Assert.Throws<TokenizerException>(() => GgufVocabulary.Read(new MemoryStream(huge), "x.gguf")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelFileIsReadOnlyUpToItsMetadata()
    {
        // A whole model file: the vocabulary file with a tensor count of 2 and 64 KiB of tensor infos and data after
        // the metadata (here bytes that are no valid tensor info, which a full reader would reject).
        byte[] vocab = LlamaCppVocab.GgufBytes("bert-bge");
        byte[] model = [.. vocab, .. Enumerable.Repeat((byte)0xFF, 1 << 16)];
        BitConverter.TryWriteBytes(model.AsSpan(8), 2UL);
        var fromModel = GgufVocabulary.Read(new MemoryStream(model), "model.gguf");
        Assert.Equal(LlamaCppVocab.Vocabulary("bert-bge").Tokens, fromModel.Tokens);
    }

    [Fact]
    public void UnsupportedTypesAreNamed()
    {
        // The GPT-2 file with its model renamed to "rwkv" (same length, so the rest of the file stays valid).
        byte[] bytes = LlamaCppVocab.GgufBytes("gpt-2");
        Replace(bytes, "tokenizer.ggml.model"u8, "\u0008\0\0\0\u0004\0\0\0\0\0\0\0gpt2"u8, "\u0008\0\0\0\u0004\0\0\0\0\0\0\0rwkv"u8);
        var e = Assert.Throws<TokenizerException>(() => GgufTokenizers.Create(GgufVocabulary.Read(new MemoryStream(bytes), "x.gguf")));
        Assert.Contains("'rwkv' is not supported", e.Message, StringComparison.Ordinal);

        byte[] pre = LlamaCppVocab.GgufBytes("falcon");
        Replace(pre, "tokenizer.ggml.pre"u8, "\u0008\0\0\0\u0006\0\0\0\0\0\0\0falcon"u8, "\u0008\0\0\0\u0006\0\0\0\0\0\0\0falcoN"u8);
        var p = Assert.Throws<TokenizerException>(() => GgufTokenizers.Create(GgufVocabulary.Read(new MemoryStream(pre), "y.gguf")));
        Assert.Contains("tokenizer.ggml.pre 'falcoN' is not supported", p.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sp_unigram", "t5")]
    [InlineData("sp_bpe_llama_style", "llama")]
    public void SentencePieceModelsStoredAsGgufEncodeLikeSentencePiece(string name, string ggufModel)
    {
        // The .model's pieces written as convert_hf_to_gguf.py writes them (T5: tokenizer.ggml.model "t5" with the
        // normalizer's charsmap and flags; Llama: "llama"), checked against the real SentencePiece library's ids.
        string dir = Path.Combine(TestData.Dir, "sentencepiece", name);
        var spm = SentencePieceModel.Load(Path.Combine(dir, "spm.model"));
        var image = new GgufImage()
            .String("general.architecture", ggufModel == "t5" ? "t5" : "llama")
            .String("tokenizer.ggml.model", ggufModel)
            .Strings("tokenizer.ggml.tokens", [.. spm.Pieces.Select(p => p.Piece)])
            .Floats("tokenizer.ggml.scores", [.. spm.Pieces.Select(p => p.Score)])
            .Int32s("tokenizer.ggml.token_type", [.. spm.Pieces.Select(p => (int)p.Type)])
            .UInt32("tokenizer.ggml.unknown_token_id", (uint)spm.UnkId)
            .Bool("tokenizer.ggml.add_space_prefix", spm.AddDummyPrefix);
        if (ggufModel == "t5")
        {
            image.Bool("tokenizer.ggml.remove_extra_whitespaces", spm.RemoveExtraWhitespaces).Bytes("tokenizer.ggml.precompiled_charsmap", spm.PrecompiledCharsmap);
        }
        else
        {
            Assert.False(spm.RemoveExtraWhitespaces); // llama.cpp's SPM tokenizer never collapses spaces
        }

        var tokenizer = GgufTokenizers.Create(GgufVocabulary.Read(new MemoryStream(image.ToArray()), name + ".gguf"));
        var cases = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")))!["cases"]!.AsArray();
        var diffs = new List<string>();
        var controls = spm.Pieces.Where(p => p.Type is SentencePieceModel.PieceType.Control or SentencePieceModel.PieceType.Unknown).Select(p => p.Piece).ToList();
        int compared = 0;
        foreach (var c in cases)
        {
            string text = (string)c!["text"]!;
            if (controls.Any(p => text.Contains(p, StringComparison.Ordinal)))
            {
                continue; // SentencePiece never matches <s> / </s> / <unk> in text; a GGUF tokenizer does, like llama.cpp and HF.
            }

            compared++;
            var expected = c["ids"]!.AsArray().Select(x => (int)x!).ToArray();
            var actual = tokenizer.Encode(text, addSpecialTokens: false).Ids;
            if (!expected.SequenceEqual(actual))
            {
                diffs.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}: expected {Show(expected)} found {Show(actual)}");
            }
        }

        Assert.True(compared > 40);
        Assert.True(diffs.Count == 0, $"{diffs.Count}/{compared} differ:\n" + string.Join("\n", diffs.Take(8)));
    }

    /// <summary>Replaces the value bytes that follow <paramref name="key"/>'s name in a GGUF image.</summary>
    private static void Replace(byte[] bytes, ReadOnlySpan<byte> key, ReadOnlySpan<byte> oldValue, ReadOnlySpan<byte> newValue)
    {
        int at = bytes.AsSpan().IndexOf(key);
        Assert.True(at >= 0);
        Assert.True(bytes.AsSpan(at + key.Length).StartsWith(oldValue));
        newValue.CopyTo(bytes.AsSpan(at + key.Length));
    }
}
