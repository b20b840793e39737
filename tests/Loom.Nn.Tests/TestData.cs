using System.Runtime.CompilerServices;

namespace Loom.Nn.Tests;

/// <summary>Locates the committed test data under tests/testdata/train.</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, SourceFolder() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "tests", "testdata", "train");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/train not found above " + AppContext.BaseDirectory);
    });

    /// <summary>Absolute path of a file under tests/testdata/train.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string SourceFolder([CallerFilePath] string sourceFile = "") =>
        System.IO.Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();
}
