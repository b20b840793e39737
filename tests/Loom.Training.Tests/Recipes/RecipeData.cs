using System.Runtime.CompilerServices;

namespace Loom.Training.Tests.Recipes;

/// <summary>The tiny data sets of examples/TrainRecipes/data (in the repository).</summary>
internal static class RecipeData
{
    /// <summary>The absolute path of examples/TrainRecipes/data/<paramref name="name"/>.</summary>
    public static string Path(string name, [CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetDirectoryName(sourceFile) ?? "."); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Loom.slnx")))
            {
                return System.IO.Path.Combine(dir.FullName, "examples", "TrainRecipes", "data", name);
            }
        }

        throw new DirectoryNotFoundException($"No Loom.slnx above {sourceFile}.");
    }
}
