using System.Diagnostics;

namespace Loom.Cli.Commands;

/// <summary>
/// Wall-clock and process-CPU seconds of repeated runs of one workload (used by <c>bench forward</c> and
/// <c>bench train-step</c>, for Loom and for the PyTorch peer alike). The best run counts: on a shared machine the
/// fastest repeat is the one least disturbed by other processes. CPU time covers all threads of the process.
/// </summary>
internal sealed record BenchForwardSamples(IReadOnlyList<double> WallSeconds, IReadOnlyList<double> CpuSeconds)
{
    /// <summary>The fastest wall-clock run.</summary>
    public double BestWall => WallSeconds.Min();

    /// <summary>The smallest CPU time of one run.</summary>
    public double BestCpu => CpuSeconds.Min();

    /// <summary>The median wall-clock run.</summary>
    public double MedianWall => WallSeconds.Order().ElementAt(WallSeconds.Count / 2);

    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="repeats"/> timed.</summary>
    public static BenchForwardSamples Measure(Action action, int warmup, int repeats)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var wall = new double[repeats];
        var cpu = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var cpuStart = Environment.CpuUsage.TotalTime;
            var start = Stopwatch.GetTimestamp();
            action();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            cpu[i] = (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds;
        }

        return new BenchForwardSamples(wall, cpu);
    }
}
