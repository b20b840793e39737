namespace Loom.Training.Tests;

/// <summary>A temporary folder for files written by a test, deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loom-training-tests-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(_root);

    /// <summary>Writes <paramref name="content"/> (UTF-8) to a new file and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
