using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Loom.Kernels;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench gemm</c>: GFLOP/s of <see cref="Gemm"/> beside OpenBLAS <c>cblas_sgemm</c> on the same data,
/// in the same process, alternating the two so machine noise hits both; the best of several rounds counts.
/// The ratio is also given by process CPU time, which other processes on a shared machine disturb far less.
/// <c>--precision bf16</c> times Loom with bfloat16-rounded operands (<see cref="GemmPrecision.BFloat16"/>) against the
/// same float32 OpenBLAS call, so two runs give the cost of the rounding relative to one peer.
/// </summary>
internal static class BenchGemmCommand
{
    /// <summary>The shapes of issue 2 as (M, K, N): BERT/GPT-2-small projections, MLP up/down, a square, the LM head.</summary>
    private static readonly (int M, int K, int N)[] s_defaultShapes =
        [(512, 768, 768), (512, 768, 3072), (512, 3072, 768), (2048, 2048, 2048), (4096, 768, 50257)];

    public static Command Create()
    {
        var m = new Option<int?>("--m") { Description = "Rows of A and C (default: the issue's shape list)" };
        var k = new Option<int?>("--k") { Description = "Shared dimension" };
        var n = new Option<int?>("--n") { Description = "Columns of C (output features)" };
        var threads = new Option<int?>("--threads") { Description = "Threads for both libraries (default: 1 and 2)" };
        var layout = new Option<string?>("--b-layout")
        {
            Description = "Weight layout: nk = stored N×K and used transposed (x·Wᵀ), kn = stored K×N (default: both)",
        };
        layout.AcceptOnlyFromAmong("nk", "kn");
        var rounds = new Option<int>("--repeats") { Description = "Timed rounds per library; the best counts", DefaultValueFactory = _ => 5 };
        var precision = new Option<string>("--precision")
        {
            Description = "Loom's operands: f32, or bf16 (rounded to bfloat16 while packed, float32 arithmetic)",
            DefaultValueFactory = _ => "f32",
        };
        precision.AcceptOnlyFromAmong("f32", "bf16");

        var command = new Command("gemm", "GFLOP/s of Loom's SGEMM and OpenBLAS cblas_sgemm, and their ratio");
        command.Options.Add(m);
        command.Options.Add(k);
        command.Options.Add(n);
        command.Options.Add(threads);
        command.Options.Add(layout);
        command.Options.Add(rounds);
        command.Options.Add(precision);
        command.SetAction(parse =>
        {
            var (mv, kv, nv) = (parse.GetValue(m), parse.GetValue(k), parse.GetValue(n));
            if ((mv, kv, nv) is not (null, null, null) && (mv is not > 0 || kv is not > 0 || nv is not > 0))
            {
                Console.Error.WriteLine("bench gemm: give all of --m, --k and --n as positive integers, or none for the default shape list.");
                return 2;
            }

            if (parse.GetValue(threads) is < 1 || parse.GetValue(rounds) < 1)
            {
                Console.Error.WriteLine("bench gemm: --threads and --repeats must be at least 1.");
                return 2;
            }

            (int M, int K, int N)[] shapes = mv is null ? s_defaultShapes : [(mv.Value, kv!.Value, nv!.Value)];
            int[] threadCounts = parse.GetValue(threads) is { } t ? [t] : [1, 2];
            bool[] layouts = parse.GetValue(layout) switch { "nk" => [true], "kn" => [false], _ => [true, false] };
            Run(shapes, layouts, threadCounts, parse.GetValue(rounds), parse.GetValue(precision) == "bf16" ? GemmPrecision.BFloat16 : GemmPrecision.Float32);
            return 0;
        });
        return command;
    }

    private static void Run((int M, int K, int N)[] shapes, bool[] transposedB, int[] threadCounts, int rounds, GemmPrecision precision)
    {
        var blas = BenchOpenBlas.TryLoad(out var missing);
        Console.WriteLine($"Loom GEMM kernel: {Gemm.ActiveKernel}, operands {precision}; cores: {Environment.ProcessorCount}; best of {rounds} rounds");
        Console.WriteLine(blas is null
            ? $"Peer missing: {missing}. Printing Loom numbers only."
            : $"Peer: OpenBLAS {blas.Config} (core {blas.CoreName}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "SkylakeX (set by loom)"})");

        // Rows as they finish go to the console at once; the same rows end as a Markdown table for BENCHMARKS.md.
        var table = new List<string>
        {
            "| M×K×N | B layout | threads | Loom GFLOP/s | OpenBLAS GFLOP/s | Loom/OpenBLAS | same, by CPU time | max rel diff |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        };
        var previousDegree = KernelOptions.DegreeOfParallelism;
        try
        {
            foreach (var (m, k, n) in shapes)
            {
                var a = RandomMatrix((long)m * k, 1);
                var b = RandomMatrix((long)k * n, 2);
                var cLoom = GC.AllocateUninitializedArray<float>(checked(m * n));
                var cBlas = blas is null ? null : GC.AllocateUninitializedArray<float>(m * n);
                foreach (var transB in transposedB)
                {
                    foreach (var threads in threadCounts)
                    {
                        var ldb = transB ? k : n;
                        KernelOptions.DegreeOfParallelism = threads;
                        blas?.SetThreads(threads);
                        var flops = 2.0 * m * n * k;
                        var loomBest = Measurement.Worst;
                        var blasBest = Measurement.Worst;
                        var warm = false;
                        for (var round = 0; round <= rounds; round++)
                        {
                            // Round 0 warms up (JIT, pack buffers, OpenBLAS threads) and is not timed. Short calls
                            // get an untimed call right before the timed one so that each library is timed with
                            // its own operands in cache, not after the other library warmed them.
                            var loom = Measure(() => Gemm.Multiply(precision, false, transB, m, n, k, 1f, a, k, b, ldb, 0f, cLoom, n), warm);
                            if (round > 0)
                            {
                                loomBest = loomBest.Best(loom);
                            }

                            if (blas is not null)
                            {
                                var peer = Measure(() => blas.Multiply(false, transB, m, n, k, 1f, a, k, b, ldb, 0f, cBlas, n), warm);
                                if (round > 0)
                                {
                                    blasBest = blasBest.Best(peer);
                                }

                                // OpenBLAS worker threads spin for a while after a call; let them park before Loom runs.
                                Thread.Sleep(200);
                            }

                            warm = loom.WallSeconds < 0.1;
                        }

                        var loomRate = flops / loomBest.WallSeconds / 1e9;
                        var shape = $"{m}×{k}×{n}";
                        var layoutName = transB ? "nk (x·Wᵀ)" : "kn";
                        if (blas is null)
                        {
                            table.Add(string.Create(CultureInfo.InvariantCulture, $"| {shape} | {layoutName} | {threads} | {loomRate:F1} | — | — | — | — |"));
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape} {layoutName} t={threads}: Loom {loomRate:F1} GFLOP/s"));
                            continue;
                        }

                        var blasRate = flops / blasBest.WallSeconds / 1e9;
                        var ratio = loomRate / blasRate;
                        var cpuRatio = blasBest.CpuSeconds / loomBest.CpuSeconds;
                        var diff = MaxRelativeDifference(cLoom, cBlas!);
                        table.Add(string.Create(CultureInfo.InvariantCulture,
                            $"| {shape} | {layoutName} | {threads} | {loomRate:F1} | {blasRate:F1} | {ratio:F3} | {cpuRatio:F3} | {diff:E1} |"));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{shape} {layoutName} t={threads}: Loom {loomRate:F1} GFLOP/s, OpenBLAS {blasRate:F1} GFLOP/s, ratio {ratio:F3} (by CPU time {cpuRatio:F3}), max rel diff {diff:E1}"));
                    }
                }
            }
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = previousDegree;
        }

        Console.WriteLine();
        table.ForEach(Console.WriteLine);
    }

    /// <summary>Wall-clock and process CPU time of one call, after an untimed one if <paramref name="warm"/>.</summary>
    private static Measurement Measure(Action action, bool warm)
    {
        if (warm)
        {
            action();
        }

        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        action();
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new Measurement(wall, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }

    /// <summary>
    /// Seconds of one call. Wall time is the headline; CPU time (all threads of the process) is printed
    /// beside it because on a shared machine it is far less disturbed by other processes.
    /// </summary>
    private readonly record struct Measurement(double WallSeconds, double CpuSeconds)
    {
        public static Measurement Worst => new(double.MaxValue, double.MaxValue);

        public Measurement Best(Measurement other) =>
            new(Math.Min(WallSeconds, other.WallSeconds), Math.Min(CpuSeconds, other.CpuSeconds));
    }

    /// <summary>max |loom − peer| / max |peer|: both libraries must compute the same product.</summary>
    private static double MaxRelativeDifference(float[] loom, float[] peer)
    {
        double maxDiff = 0, maxPeer = 0;
        for (var i = 0; i < loom.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(loom[i] - peer[i]));
            maxPeer = Math.Max(maxPeer, Math.Abs(peer[i]));
        }

        return maxPeer == 0 ? maxDiff : maxDiff / maxPeer;
    }

    private static float[] RandomMatrix(long length, int seed)
    {
        var random = new Random(seed);
        var values = GC.AllocateUninitializedArray<float>(checked((int)length));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }
}
