using System.Runtime.CompilerServices;

namespace Loom.Generation.Tests;

/// <summary>Locates the repository's committed test data (tests/testdata) and shipped models (models/).</summary>
internal static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, SourceFolder() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "tests", "testdata", "hf")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/hf not found above " + AppContext.BaseDirectory);
    });

    /// <summary>A path under tests/testdata.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepositoryRoot.Value, "tests", "testdata", .. parts]);

    /// <summary>A path under the repository root.</summary>
    public static string Repository(params string[] parts) => System.IO.Path.Combine([RepositoryRoot.Value, .. parts]);

    private static string SourceFolder([CallerFilePath] string sourceFile = "") =>
        System.IO.Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();
}
