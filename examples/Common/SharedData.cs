// Locates the data sets of ../shared/data (README "shared only" sets are never copied into the repository), walking up
// from the working directory and from the program's folder so `dotnet run --project examples/X` works from anywhere
// inside the checkout.
namespace Loom.Examples;

/// <summary>Finds files under the team's <c>shared/data</c> folder beside the repository.</summary>
public static class SharedData
{
    /// <summary>Environment variable that overrides where <c>shared/data</c> lives.</summary>
    public const string DataDirectoryVariable = "LOOM_SHARED_DATA";

    /// <summary>The full path of <paramref name="relativePath"/> under <c>shared/data</c>, or null when it is absent.</summary>
    public static string? Find(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        foreach (var root in Roots())
        {
            var candidate = Path.GetFullPath(Path.Combine(root, relativePath));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Like <see cref="Find"/> but throws <see cref="FileNotFoundException"/> with a message that says where the file was
    /// looked for and how to point the example at it.
    /// </summary>
    public static string Require(string relativePath)
    {
        if (Find(relativePath) is { } path)
        {
            return path;
        }

        var roots = Roots().ToList();
        var searched = roots.Count > 0 ? $"looked in: {string.Join(", ", roots)}"
            : $"no shared/data folder above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'";
        throw new FileNotFoundException(
            $"'{relativePath}' was not found ({searched}). This data set is read from ../shared/data and is not part of the "
            + $"repository; set {DataDirectoryVariable} to the folder that holds it.", relativePath);
    }

    private static IEnumerable<string> Roots()
    {
        if (Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } overridden)
        {
            yield return overridden;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var data = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(data))
                {
                    yield return data;
                }
            }
        }
    }
}
