using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Loom.Core;
using Loom.Kernels;
using Loom.Training;
using Loom.Training.Data;
using Loom.Training.Recipes;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench time-to-loss</c> (issue 6): wall-clock training time until the validation loss first reaches 2.0 and
/// 1.9 with nanoGPT's tiny-Shakespeare CPU recipe (the settings of <c>loom train</c>'s clm defaults and
/// examples/ShakespeareChar: 4 layers, 4 heads, 128 wide, block 64, batch 12, dropout 0, AdamW lr 1e-3 cosine to 1e-4
/// after 100 warmup steps, 2,000 steps), Loom at 2 threads and then PyTorch (<c>bench/torch/loom_peer.py
/// time-to-loss</c>, the same model, split, initialisation scheme, optimizer and schedule) at its faster thread count.
/// Both evaluate every N steps on the same validation windows (offsets drawn here, handed to the peer), in batches of
/// 12; the clocks count training steps only, evaluation excluded.
/// </summary>
internal static class BenchTimeToLossCommand
{
    private const string DefaultText = "../shared/data/tinyshakespeare/input.txt";

    public static Command Create()
    {
        var text = new Option<string>("--text") { Description = "Training text (default ../shared/data/tinyshakespeare/input.txt)", DefaultValueFactory = _ => DefaultText };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps, the schedule's length (nanoGPT recipe: 2000)", DefaultValueFactory = _ => 2000 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate every this many steps", DefaultValueFactory = _ => 100 };
        var evalBatches = new Option<int>("--eval-batches") { Description = "Validation batches of 12 windows (the same windows every time, for both)", DefaultValueFactory = _ => 50 };
        var threads = new Option<int>("--threads") { Description = "Loom's threads", DefaultValueFactory = _ => 2 };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "PyTorch's threads (default: the faster of 1 and 2 on 20 timed steps)" };
        var targets = new Option<double[]>("--targets") { Description = "Validation losses to reach", DefaultValueFactory = _ => [2.0, 1.9], AllowMultipleArgumentsPerToken = true };
        var noPeer = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer" };
        var command = new Command("time-to-loss", "Training time to validation loss 2.0 and 1.9 with the nanoGPT char recipe, beside PyTorch");
        foreach (var option in new Option[] { text, steps, evalEvery, evalBatches, threads, torchThreads, targets, noPeer })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var (path, stepCount, every, batches) = (parse.GetValue(text)!, parse.GetValue(steps), parse.GetValue(evalEvery), parse.GetValue(evalBatches));
            if (!File.Exists(path) || stepCount < 1 || every < 1 || batches < 1 || parse.GetValue(threads) < 1 || parse.GetValue(torchThreads) is < 1)
            {
                Console.Error.WriteLine($"bench time-to-loss: --text must name a file (found '{path}'); --steps, --eval-every, --eval-batches and the thread counts must be at least 1.");
                return 2;
            }

            var config = new ClmPretrainingConfig
            {
                Text = path,
                MaxSteps = stepCount,
                WarmupSteps = Math.Min(100, stepCount),
                EvalBatches = batches,
                Output = Path.Combine(Path.GetTempPath(), $"loom-time-to-loss-{Environment.ProcessId}"),
            };
            var goals = parse.GetValue(targets) is { Length: > 0 } chosen ? chosen : [2.0, 1.9];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Time to validation loss {string.Join(" and ", goals)}: nanoGPT char recipe, {stepCount} steps, evaluation every {every} steps on {batches * config.BatchSize} fixed windows; " +
                $"Loom at {parse.GetValue(threads)} threads; cores {Environment.ProcessorCount}, load average {BenchTrainStepCommand.LoadAverage()}"));
            try
            {
                var content = File.ReadAllText(path, Encoding.UTF8);
                var ids = CharacterVocabulary.FromText(content).Encode(content);
                var validation = ids[(int)(ids.Length * (1d - config.ValidationFraction))..]; // ClmPretraining's split
                var offsets = ValidationOffsets(config, validation.Length);
                var loom = RunLoom(config, validation, offsets, every, parse.GetValue(threads));
                Report("Loom", loom, goals);
                var torch = parse.GetValue(noPeer) ? null : RunTorch(config, offsets, every, parse.GetValue(torchThreads));
                if (torch is not null)
                {
                    Report($"PyTorch {BenchForwardTorchPeer.Version}, {torch.Threads} thread(s)", torch, goals);
                }

                Console.WriteLine();
                Table(goals, loom, torch);
                Console.WriteLine($"load average at the end {BenchTrainStepCommand.LoadAverage()}");
                return 0;
            }
            finally
            {
                if (Directory.Exists(config.Output))
                {
                    Directory.Delete(config.Output, recursive: true);
                }
            }
        });
        return command;
    }

    // The validation windows: offsets into the last validation_fraction of the text, drawn once from the seed.
    private static int[] ValidationOffsets(ClmPretrainingConfig config, int validationLength)
    {
        var generator = new Generator(config.Seed + 2);
        return [.. Enumerable.Range(0, config.EvalBatches * config.BatchSize).Select(_ => generator.NextInt(validationLength - config.BlockSize))];
    }

    private static Curve RunLoom(ClmPretrainingConfig config, int[] validation, int[] offsets, int evalEvery, int threads)
    {
        var previous = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = threads;
        try
        {
            var options = config.ToTrainerOptions() with { EvalEvery = 0, SaveEvery = 0, OutputDirectory = null };
            var run = ClmPretraining.Create(config, options);
            var (b, t) = (config.BatchSize, config.BlockSize);
            var batches = offsets.Chunk(b).Select(rows => new LmBatch(
                IntTensor.FromArray([.. rows.SelectMany(o => validation[o..(o + t)])], rows.Length, t), // (B, T)
                IntTensor.FromArray([.. rows.SelectMany(o => validation[(o + 1)..(o + 1 + t)])], rows.Length, t))).ToList();
            var points = new List<CurvePoint>();
            var clock = Stopwatch.StartNew();
            var (evalWall, evalCpu, cpuStart) = (TimeSpan.Zero, TimeSpan.Zero, CpuTime());
            run.Trainer.Progress = new Callback(p =>
            {
                if (p.Step % evalEvery != 0 && p.Step != p.MaxSteps)
                {
                    return;
                }

                var (wall, cpu) = (clock.Elapsed, CpuTime());
                double loss;
                using (Tensor.NoGrad())
                {
                    loss = batches.Average(batch => (double)ClmPretraining.Loss(run.Model, batch).Item());
                }

                points.Add(new CurvePoint(p.Step, (wall - evalWall).TotalSeconds, (cpu - cpuStart - evalCpu).TotalSeconds, loss));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Loom step {p.Step}: val loss {loss:F4} at {points[^1].Seconds:F1} s"));
                (evalWall, evalCpu) = (evalWall + clock.Elapsed - wall, evalCpu + CpuTime() - cpu);
            });
            run.Trainer.Train();
            return new Curve(threads, points);
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = previous;
        }
    }

    private static Curve? RunTorch(ClmPretrainingConfig config, int[] offsets, int evalEvery, int? threads)
    {
        string missing;
        if (threads is null)
        {
            // The faster of 1 and 2 threads on this model's training step (bench train's shape (a)).
            var probe = BenchForwardTorchPeer.Run(
            [
                "train-step", "--layers", Text(config.Layers), "--width", Text(config.Width), "--heads", Text(config.Heads), "--vocab", "65",
                "--positions", Text(config.BlockSize), "--batch", Text(config.BatchSize), "--seq", Text(config.BlockSize), "--threads", "1", "2", "--steps", "20",
            ], out missing);
            if (probe is null)
            {
                Console.WriteLine($"  PyTorch missing: {missing}");
                return null;
            }

            threads = probe.MinBy(p => p.Value.MedianWall).Key;
            Console.WriteLine(string.Join("; ", probe.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture,
                $"  PyTorch probe: {p.Key} thread(s) median {p.Value.MedianWall * 1e3:F1} ms/step"))));
        }

        var offsetsFile = Path.Combine(config.Output, "eval_offsets.json");
        File.WriteAllText(offsetsFile, JsonSerializer.Serialize(offsets));
        var points = new List<CurvePoint>();
        var lines = BenchForwardTorchPeer.RunLines(
        [
            "time-to-loss", "--text", Path.GetFullPath(config.Text), "--eval-offsets", offsetsFile, "--layers", Text(config.Layers), "--width", Text(config.Width),
            "--heads", Text(config.Heads), "--batch", Text(config.BatchSize), "--seq", Text(config.BlockSize), "--steps", Text(config.MaxSteps),
            "--max-steps", Text(config.MaxSteps), "--warmup-steps", Text(config.WarmupSteps), "--eval-every", Text(evalEvery), "--threads", Text(threads.Value),
        ], line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            points.Add(new CurvePoint(root.GetProperty("step").GetInt32(), root.GetProperty("train_s").GetDouble(), root.GetProperty("train_cpu_s").GetDouble(),
                root.GetProperty("val_loss").GetDouble()));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  PyTorch step {points[^1].Step}: val loss {points[^1].Loss:F4} at {points[^1].Seconds:F1} s"));
        }, out missing);
        if (lines is null)
        {
            Console.WriteLine($"  PyTorch missing: {missing}");
            return null;
        }

        return new Curve(threads.Value, points);
    }

    private static void Report(string who, Curve curve, double[] goals)
    {
        var reached = goals.Select(g => curve.First(g) is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"≤ {g} at step {p.Step}, {p.Seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{g} not reached"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{who}: {string.Join("; ", reached)}; final val loss {curve.Points[^1].Loss:F4} after {curve.Points[^1].Seconds:F1} s ({curve.Points[^1].CpuSeconds:F1} s CPU)"));
    }

    private static void Table(double[] goals, Curve loom, Curve? torch)
    {
        string Cell(Curve? curve, double goal) => curve?.First(goal) is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Seconds:F1} s (step {p.Step}, CPU {p.CpuSeconds:F1} s)") : "—";
        string Ratio(double goal, Func<CurvePoint, double> measure) => loom.First(goal) is { } l && torch?.First(goal) is { } p
            ? (measure(p) / measure(l)).ToString("F2", CultureInfo.InvariantCulture) : "—";
        Console.WriteLine("| validation loss | Loom (2 threads) | PyTorch | PyTorch time / Loom time (wall) | (CPU time) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var goal in goals)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| ≤ {goal} | {Cell(loom, goal)} | {Cell(torch, goal)} | {Ratio(goal, p => p.Seconds)} | {Ratio(goal, p => p.CpuSeconds)} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| final ({loom.Points[^1].Step} steps) | {loom.Points[^1].Loss:F4} in {loom.Points[^1].Seconds:F1} s | " +
            $"{(torch is null ? "—" : $"{torch.Points[^1].Loss:F4} in {torch.Points[^1].Seconds:F1} s ({torch.Threads} thread(s))")} | | |"));
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record CurvePoint(int Step, double Seconds, double CpuSeconds, double Loss);

    // The evaluations of one run; First: the earliest at or below a loss.
    private sealed record Curve(int Threads, IReadOnlyList<CurvePoint> Points)
    {
        public CurvePoint? First(double loss) => Points.FirstOrDefault(p => p.Loss <= loss);
    }

    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
