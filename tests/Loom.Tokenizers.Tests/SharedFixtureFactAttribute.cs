using System.Runtime.CompilerServices;

namespace Loom.Tokenizers.Tests;

/// <summary>
/// A fact that runs only where ../shared/fixtures/tokenizers (beside the repository) holds <c>relativePath</c>; skipped
/// otherwise. For fixtures built from corpora marked "shared only" in shared/data/README.md, which cannot ship in testdata.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute(string relativePath)
    {
        if (Locate(relativePath) is null)
        {
            Skip = $"../shared/fixtures/tokenizers/{relativePath} is not present (shared-only data, not in a fresh clone).";
        }
    }

    /// <summary>The absolute path of ../shared/fixtures/tokenizers/<paramref name="relativePath"/>, or null.</summary>
    public static string? Locate(string relativePath, [CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? "."); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Loom.slnx")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures", "tokenizers", relativePath);
                return File.Exists(candidate) || Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }
}
