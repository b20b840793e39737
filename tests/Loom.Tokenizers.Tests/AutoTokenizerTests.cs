// AutoTokenizer on files and folders of every format it reads, checked against reference ids (llama.cpp vectors,
// llama2.c's own tokenizer vectors), and the error that lists what a folder was searched for.
using System.Text.Json.Nodes;

namespace Loom.Tokenizers.Tests;

public sealed class AutoTokenizerTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("loom-autotok-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp, name)).FullName;

    private static void AssertEncodesVectors(Tokenizer tokenizer, string vocabulary)
    {
        var cases = LlamaCppVocab.Cases(vocabulary);
        Assert.All(cases, c => Assert.Equal(c.Ids, tokenizer.Encode(c.Text, addSpecialTokens: false).Ids));
    }

    [Fact]
    public void LoadsAGgufFile()
    {
        AssertEncodesVectors(AutoTokenizer.Load(LlamaCppVocab.WriteGguf("phi-3", _temp)), "phi-3");
    }

    [Fact]
    public void RecognisesGgufByItsMagicWhateverTheName()
    {
        string path = Path.Combine(_temp, "model.bin");
        File.WriteAllBytes(path, LlamaCppVocab.GgufBytes("bert-bge"));
        AssertEncodesVectors(AutoTokenizer.Load(path), "bert-bge");
    }

    [Fact]
    public void LoadsTheOneGgufInAFolder()
    {
        string folder = Folder("one");
        LlamaCppVocab.WriteGguf("starcoder", folder);
        AssertEncodesVectors(AutoTokenizer.Load(folder), "starcoder");
    }

    [Fact]
    public void SeveralGgufFilesInAFolderAreNamed()
    {
        string folder = Folder("two");
        LlamaCppVocab.WriteGguf("gpt-2", folder);
        LlamaCppVocab.WriteGguf("falcon", folder);
        var e = Assert.Throws<TokenizerException>(() => AutoTokenizer.Load(folder));
        Assert.Contains("ggml-vocab-falcon.gguf, ggml-vocab-gpt-2.gguf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsLlama2CTokenizerBinFileAndFolder()
    {
        // llama2.c's own vectors: prompt → ids with BOS prepended.
        string bin = Path.Combine(TestData.Dir, "llama2c", "tokenizer.bin");
        string folder = Folder("llama2c");
        File.Copy(bin, Path.Combine(folder, "tokenizer.bin"));
        var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.Dir, "llama2c", "tokenizer_vectors.json")))!["cases"]!.AsArray();
        foreach (var tokenizer in new[] { AutoTokenizer.Load(bin), AutoTokenizer.Load(folder) })
        {
            foreach (var c in vectors)
            {
                Assert.Equal(c!["ids"]!.AsArray().Select(x => (int)x!), tokenizer.Encode((string)c["text"]!).Ids);
            }
        }
    }

    [Fact]
    public void AnEmptyFolderListsWhatWasLookedFor()
    {
        var e = Assert.Throws<TokenizerException>(() => AutoTokenizer.Load(Folder("empty")));
        foreach (var expected in new[] { "tokenizer.json", "vocab.txt", "vocab.json + merges.txt", "tokenizer.model", "tokenizer.bin", "*.gguf", "found none" })
        {
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }

        var missing = Assert.Throws<TokenizerException>(() => AutoTokenizer.Load(Path.Combine(_temp, "nothing-here")));
        Assert.Contains("found nothing at that path", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVocabJsonWithoutMergesIsNamed()
    {
        string folder = Folder("gpt2");
        string vocab = Path.Combine(folder, "vocab.json");
        File.WriteAllText(vocab, "{\"a\": 0}");
        var e = Assert.Throws<TokenizerException>(() => AutoTokenizer.Load(vocab));
        Assert.Contains("needs merges.txt", e.Message, StringComparison.Ordinal);
    }
}
