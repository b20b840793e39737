using System.Runtime.CompilerServices;

namespace Loom.Training.Tests;

/// <summary>A fact that runs only where ../shared/data (beside the repository) holds <c>relativePath</c>; skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        RelativePath = relativePath;
        if (Locate(relativePath) is null)
        {
            Skip = $"../shared/data/{relativePath} is not present (optional data, not in a fresh clone).";
        }
    }

    public string RelativePath { get; }

    /// <summary>The absolute path of ../shared/data/<paramref name="relativePath"/>, or null.</summary>
    public static string? Locate(string relativePath, [CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? "."); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Loom.slnx")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data", relativePath);
                return File.Exists(candidate) || Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }
}
