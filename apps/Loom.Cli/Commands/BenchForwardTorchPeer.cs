using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Loom.Cli.Commands;

/// <summary>
/// Runs the PyTorch peer script <c>bench/torch/loom_peer.py</c> as a child process of <c>bench forward</c>,
/// <c>bench train-step</c>, <c>bench train</c> and <c>bench time-to-loss</c>, in PyTorch's fastest configuration on this
/// machine (OPENBLAS_CORETYPE=SkylakeX, Debian's tcmalloc preloaded, <c>torch.set_num_threads</c>), and reads its JSON
/// lines: one per thread count for the timings, one per evaluation for time-to-loss.
/// </summary>
internal static class BenchForwardTorchPeer
{
    private const string ScriptPath = "bench/torch/loom_peer.py";
    private const string TcMalloc = "/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4";

    /// <summary>
    /// Timings per thread count, or null with <paramref name="missing"/> saying why (no script, no python3, no torch,
    /// the script failed).
    /// </summary>
    public static IReadOnlyDictionary<int, BenchForwardSamples>? Run(IEnumerable<string> arguments, out string missing)
    {
        var results = new Dictionary<int, BenchForwardSamples>();
        PeakRssKb = null;
        var lines = RunLines(arguments, line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var threads = root.GetProperty("threads").GetInt32();
            results[threads] = new BenchForwardSamples(Doubles(root.GetProperty("wall_s")), Doubles(root.GetProperty("cpu_s")));
            if (root.TryGetProperty("max_rss_kb", out var rss))
            {
                PeakRssKb = rss.GetInt64();
            }
        }, out missing);
        if (lines is not null && results.Count == 0)
        {
            missing = "the peer printed no timings";
        }

        return lines is null || results.Count == 0 ? null : results;
    }

    /// <summary>
    /// Runs the peer script with <paramref name="arguments"/>, hands each JSON line of its output to
    /// <paramref name="onLine"/> as it arrives (the "torch" field, when present, sets <see cref="Version"/>), and returns
    /// the number of lines, or null with <paramref name="missing"/> saying why (no script, no python3, no torch, the
    /// script failed or printed nothing).
    /// </summary>
    public static int? RunLines(IEnumerable<string> arguments, Action<string> onLine, out string missing)
    {
        ArgumentNullException.ThrowIfNull(onLine);
        var script = FindScript();
        if (script is null)
        {
            missing = $"{ScriptPath} not found above the current directory or the loom binary";
            return null;
        }

        var python = Environment.GetEnvironmentVariable("LOOM_PYTHON") ?? "/usr/bin/python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OPENBLAS_CORETYPE"] = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "SkylakeX";
        if (File.Exists(TcMalloc))
        {
            start.Environment["LD_PRELOAD"] = TcMalloc;
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            missing = $"cannot start {python}: {e.Message}";
            return null;
        }

        if (process is null)
        {
            missing = $"cannot start {python}";
            return null;
        }

        var count = 0;
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                using (var json = JsonDocument.Parse(line))
                {
                    if (json.RootElement.TryGetProperty("torch", out var version))
                    {
                        Version = version.GetString();
                    }
                }

                onLine(line);
                count++;
            }

            process.WaitForExit();
            if (process.ExitCode != 0 || count == 0)
            {
                var error = stderr.Result.Trim();
                missing = string.Create(CultureInfo.InvariantCulture,
                    $"{python} {ScriptPath} exited with {process.ExitCode}: {(error.Length > 400 ? error[^400..] : error)}");
                return null;
            }
        }

        missing = string.Empty;
        return count;
    }

    /// <summary>Peak resident set of the last peer process in KiB, when it reported one.</summary>
    public static long? PeakRssKb { get; private set; }

    /// <summary>The torch version the last successful run reported.</summary>
    public static string? Version { get; private set; }

    /// <summary>How the peer is configured, for the header line.</summary>
    public static string Describe() =>
        $"PyTorch {Version} (OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "SkylakeX"}, " +
        $"tcmalloc {(File.Exists(TcMalloc) ? "preloaded" : "missing")})";

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static string? FindScript()
    {
        foreach (var origin in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ScriptPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
