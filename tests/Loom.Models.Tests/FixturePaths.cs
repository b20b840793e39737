using System.Runtime.CompilerServices;

namespace Loom.Models.Tests;

/// <summary>Locates the committed test data under tests/testdata (copied from shared/fixtures, see the READMEs there).</summary>
internal static class FixturePaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, SourceFolder() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "testdata");
                if (Directory.Exists(Path.Combine(candidate, "hf")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/hf not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The HF fixture folder <paramref name="name"/> (gpt2, llama, …).</summary>
    public static string Hf(string name) => Path.Combine(Root.Value, "hf", name);

    /// <summary>A path under tests/testdata.</summary>
    public static string Data(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    /// <summary>A fresh empty temporary folder for this test process.</summary>
    public static string TempFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"loom-models-tests-{Environment.ProcessId}", name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    private static string SourceFolder([CallerFilePath] string sourceFile = "") =>
        Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();
}
