using System.IO.Compression;
using System.Text.Json.Nodes;
using Loom.Tokenizers.Serialization;

namespace Loom.Tokenizers.Tests;

/// <summary>Locates tests/testdata/tokenizers and reads its gzip-compressed fixtures.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        if (Environment.GetEnvironmentVariable("LOOM_TOKENIZER_FIXTURES") is { Length: > 0 } overridden)
        {
            return overridden;
        }

        string fromSource = Path.GetFullPath(Path.Combine(SourceDir(), "..", "testdata", "tokenizers"));
        if (Directory.Exists(fromSource))
        {
            return fromSource;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "testdata", "tokenizers");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("tests/testdata/tokenizers not found above " + AppContext.BaseDirectory);
    });

    public static string Dir => Root.Value;

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string ReadText(string name)
    {
        string path = Path.Combine(Root.Value, name);
        if (!name.EndsWith(".gz", StringComparison.Ordinal))
        {
            return File.ReadAllText(path);
        }

        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return reader.ReadToEnd();
    }

    public static JsonNode ReadJson(string name) => JsonNode.Parse(ReadText(name))!;

    public static Tokenizer LoadTokenizer(string name) => TokenizerJson.Parse(ReadText($"{name}.tokenizer.json.gz"), name);
}
