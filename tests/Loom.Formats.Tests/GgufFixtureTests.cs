using Loom.Formats.Gguf;

namespace Loom.Formats.Tests;

/// <summary>llama.cpp's vocabulary-only GGUF files: every metadata item against the maintainers' dump, and byte-exact rewrite.</summary>
public class GgufFixtureTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(TestData.Path("llama_cpp_vocab"), "*.gguf").Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        if (TestData.SharedFixtures is string shared)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(shared, "llama_cpp_vocab"), "*.gguf").Order(StringComparer.Ordinal))
            {
                data.Add(file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Metadata_matches_the_kv_listing(string path)
    {
        string[] lines = File.ReadAllLines(path + ".kv.txt");
        using var file = GgufFile.Open(path);
        Assert.Equal($"version {file.Version} tensors {file.Tensors.Count}", lines[0]);
        Assert.Equal(lines.Length - 1, file.Metadata.Count);
        for (int i = 1; i < lines.Length; i++)
        {
            int space = lines[i].IndexOf(' ', StringComparison.Ordinal);
            string key = lines[i][..space];
            string expected = lines[i][(space + 1)..];
            Assert.Equal(key, file.Metadata[i - 1].Key);
            string actual = PythonRepr.Format(file.GetValue(key));
            // The dump cuts very long strings (chat templates) without closing the quote; compare that prefix.
            if (actual.Length > expected.Length && expected.Length >= 100 && !expected.EndsWith(actual[^1]))
            {
                actual = actual[..expected.Length];
            }

            Assert.True(expected == actual, $"{Path.GetFileName(path)} {key}: listing has {expected}, reader gives {actual}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Rewriting_the_metadata_gives_an_identical_file(string path)
    {
        byte[] original = File.ReadAllBytes(path);
        using var file = GgufFile.FromBytes(original);
        var writer = new GgufWriter(file.Version);
        foreach (var (key, value) in file.Metadata)
        {
            writer.AddMetadata(key, value);
        }

        using var output = new MemoryStream();
        writer.WriteTo(output);
        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public void Typed_accessors_read_the_llama_vocabulary()
    {
        using var file = GgufFile.Open(TestData.Path("llama_cpp_vocab", "ggml-vocab-llama-spm.gguf"));
        var tokens = file.GetValue("tokenizer.ggml.tokens").AsStrings();
        Assert.Equal(32000, tokens.Count);
        Assert.Equal(["<unk>", "<s>", "</s>", "<0x00>"], tokens.Take(4));
        Assert.Equal(32000, file.GetValue("tokenizer.ggml.scores").AsArray<float>().Count);
        Assert.Equal(1, file.GetValue("tokenizer.ggml.bos_token_id").AsInt32());
        Assert.True(file.GetValue("tokenizer.ggml.add_bos_token").AsBool());
        Assert.Equal("llama", file.GetValue("general.architecture").AsString());
        Assert.Equal(GgufFile.DefaultAlignment, file.Alignment);
        Assert.Throws<InvalidOperationException>(() => file.GetValue("general.architecture").AsInt64());
        Assert.Throws<KeyNotFoundException>(() => file.GetValue("no.such.key"));
    }
}
