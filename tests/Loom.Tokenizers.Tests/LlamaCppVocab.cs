using System.Collections.Concurrent;
using System.IO.Compression;
using Loom.Tokenizers.Formats;

namespace Loom.Tokenizers.Tests;

/// <summary>Reads tests/testdata/tokenizers/llama_cpp_vocab: the gzip-compressed GGUF vocabularies and their test vectors.</summary>
internal static class LlamaCppVocab
{
    private const string Separator = "\n__ggml_vocab_test__\n";
    private static readonly ConcurrentDictionary<string, Lazy<GgufVocabulary>> Vocabularies = new();
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Tokenizers = new();

    public static string Dir => Path.Combine(TestData.Dir, "llama_cpp_vocab");

    /// <summary>The decompressed bytes of ggml-vocab-NAME.gguf.</summary>
    public static byte[] GgufBytes(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir, $"ggml-vocab-{name}.gguf.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The parsed vocabulary, read once per test run (tests only read it).</summary>
    public static GgufVocabulary Vocabulary(string name) =>
        Vocabularies.GetOrAdd(name, n => new(() => GgufVocabulary.Read(new MemoryStream(GgufBytes(n)), $"ggml-vocab-{n}.gguf"))).Value;

    /// <summary>The tokenizer, built once per test run (tests only encode and decode with it).</summary>
    public static Tokenizer Tokenizer(string name) => Tokenizers.GetOrAdd(name, n => new(() => GgufTokenizers.Create(Vocabulary(n)))).Value;

    /// <summary>Writes ggml-vocab-NAME.gguf into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteGguf(string name, string folder)
    {
        string path = Path.Combine(folder, $"ggml-vocab-{name}.gguf");
        File.WriteAllBytes(path, GgufBytes(name));
        return path;
    }

    /// <summary>The test strings (split as llama.cpp's test-tokenizer-0 does) with their expected ids.</summary>
    public static List<(string Text, int[] Ids)> Cases(string name)
    {
        string inp = File.ReadAllText(Path.Combine(Dir, $"ggml-vocab-{name}.gguf.inp"));
        var texts = new List<string>();
        int start = 0;
        for (int at = inp.IndexOf(Separator, StringComparison.Ordinal); at >= 0; at = inp.IndexOf(Separator, start, StringComparison.Ordinal))
        {
            texts.Add(inp[start..at]);
            start = at + Separator.Length;
        }

        var lines = File.ReadAllLines(Path.Combine(Dir, $"ggml-vocab-{name}.gguf.out"));
        if (lines.Length != texts.Count)
        {
            throw new InvalidDataException($"{name}: {texts.Count} strings but {lines.Length} id lines.");
        }

        return [.. texts.Zip(lines, (t, l) => (t, l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()))];
    }
}
