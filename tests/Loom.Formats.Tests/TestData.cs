using System.Runtime.CompilerServices;

namespace Loom.Formats.Tests;

/// <summary>Locates the committed test data (tests/testdata/formats) and, when present, ../shared/fixtures.</summary>
internal static class TestData
{
    private static readonly Lazy<string> RepositoryRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "tests", "testdata", "formats")))
            {
                return dir.FullName;
            }
        }

        // Build outputs may live outside the repository (--artifacts-path): fall back to where this source file is.
        for (var dir = new DirectoryInfo(SourceFolder()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "tests", "testdata", "formats")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/formats not found above " + AppContext.BaseDirectory);
    });

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string SourceFolder([CallerFilePath] string sourceFile = "") =>
        System.IO.Path.GetDirectoryName(sourceFile) ?? Directory.GetCurrentDirectory();

    /// <summary>Absolute path of a file under tests/testdata/formats.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([RepositoryRoot.Value, "tests", "testdata", "formats", .. parts]);

    /// <summary>The shared fixtures folder next to the repository, or null on a clone without it.</summary>
    public static string? SharedFixtures
    {
        get
        {
            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot.Value, "..", "shared", "fixtures"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    private static readonly Lazy<string> TempRoot = new(() =>
    {
        // One folder per test process; folders left by earlier processes that have exited are removed here
        // (the test host may be killed before any exit handler runs).
        string parent = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "loom-formats-tests");
        if (Directory.Exists(parent))
        {
            foreach (string stale in Directory.GetDirectories(parent))
            {
                if (int.TryParse(System.IO.Path.GetFileName(stale), out int pid) && !IsRunning(pid))
                {
                    try
                    {
                        Directory.Delete(stale, recursive: true);
                    }
                    catch (IOException)
                    {
                        // Another test process may be cleaning the same folder.
                    }
                }
            }
        }

        return System.IO.Path.Combine(parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    /// <summary>A fresh empty temporary folder (removed by the next test run once this process has exited).</summary>
    public static string TempFolder()
    {
        string path = System.IO.Path.Combine(TempRoot.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
