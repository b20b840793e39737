using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Loom.Core;
using Loom.Kernels;
using Loom.Models.Gpt2;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench train</c> (issue 6): training throughput of three GPT shapes — (a) nanoGPT's CPU recipe for tiny
/// Shakespeare, (b) a 6-layer 384-wide GPT with the GPT-2 vocabulary, (c) GPT-2 124M — in tokens/s, ms/step, managed
/// allocations per step and peak resident memory, beside the same model trained with the same optimizer by PyTorch
/// (<c>bench/torch/loom_peer.py</c>, best of 1 and 2 threads) in the same run. One step is zero grad, forward with
/// the causal-LM loss, backward and AdamW (lr 1e-4, weight decay 0.01) on random weights and random tokens.
/// <c>--precision f32 bf16</c> also runs each shape with bfloat16 autocast (<see cref="Tensor.Autocast"/>: matmul operands
/// rounded to bfloat16, float32 arithmetic) and prints its time, CPU time and peak memory relative to float32.
/// </summary>
internal static class BenchTrainCommand
{
    private static readonly TrainShape[] Shapes =
    [
        new("a", "nanoGPT char (L4 C128 H4 V65, block 64)", 4, 128, 4, 65, 64, 12, 64, 20),
        new("b", "GPT L6 C384 H6 V50257", 6, 384, 6, 50257, 1024, 4, 64, 5),
        new("c", "GPT-2 124M (L12 C768 H12 V50257)", 12, 768, 12, 50257, 1024, 4, 64, 3),
    ];

    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Which shapes: a, b, c (default all)", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Loom's threads", DefaultValueFactory = _ => 2 };
        var steps = new Option<int?>("--steps") { Description = "Timed steps after one warm-up (default 20 / 5 / 3 for a / b / c); the best counts" };
        var noPeer = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer" };
        var precisions = new Option<string[]>("--precision")
        {
            Description = "Matmul operand precision of Loom's runs: f32 (default), bf16 (autocast), or both in turn",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("train", "Training tokens/s, ms/step and peak memory of three GPT shapes, beside PyTorch");
        foreach (var option in new Option[] { models, threads, steps, noPeer, precisions })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(models) is { Length: > 0 } names ? names : ["a", "b", "c"];
            var unknown = chosen.Where(n => Shapes.All(s => s.Name != n)).ToArray();
            var precisionNames = parse.GetValue(precisions) is { Length: > 0 } p ? p : ["f32"];
            if (unknown.Length > 0 || parse.GetValue(threads) < 1 || parse.GetValue(steps) is < 1 || precisionNames.Any(n => n is not ("f32" or "bf16")))
            {
                Console.Error.WriteLine($"bench train: --model takes a, b or c (found {string.Join(", ", unknown)}); --precision f32 and/or bf16; --threads and --steps must be at least 1.");
                return 2;
            }

            var chosenPrecisions = precisionNames.Distinct().Select(n => n == "bf16" ? GemmPrecision.BFloat16 : GemmPrecision.Float32).ToArray();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Training throughput, Loom at {parse.GetValue(threads)} threads, PyTorch best of 1 and 2; cores {Environment.ProcessorCount}, load average {BenchTrainStepCommand.LoadAverage()}"));
            var rows = new List<string>();
            foreach (var shape in Shapes.Where(s => chosen.Contains(s.Name)))
            {
                rows.AddRange(Run(shape, parse.GetValue(threads), parse.GetValue(steps) ?? shape.DefaultSteps, !parse.GetValue(noPeer), chosenPrecisions));
            }

            Console.WriteLine();
            Console.WriteLine("| model | Loom ms/step | Loom tokens/s | Loom CPU ms/step | PyTorch ms/step | PyTorch tokens/s | PyTorch threads | Loom/PyTorch (wall) | Loom/PyTorch (CPU time) | Loom peak RSS MiB | PyTorch peak RSS MiB | Loom MiB allocated/step | Loom GCs gen0/1/2 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            rows.ForEach(Console.WriteLine);
            return 0;
        });
        return command;
    }

    /// <summary>One table row per precision, each against the same PyTorch run; bf16 against f32 when both ran.</summary>
    private static IEnumerable<string> Run(TrainShape shape, int threads, int steps, bool withPeer, GemmPrecision[] precisions)
    {
        Console.WriteLine($"({shape.Name}) {shape.Title}, B={shape.Batch} T={shape.Seq}: best of {steps} steps after 1 warm-up, load average {BenchTrainStepCommand.LoadAverage()}");
        var runs = precisions.Select(p => (Precision: p, Result: RunLoom(shape, threads, steps, p))).ToList();
        if (runs.Count == 2)
        {
            var (f32, bf16) = (runs.Single(r => r.Precision == GemmPrecision.Float32).Result, runs.Single(r => r.Precision == GemmPrecision.BFloat16).Result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  bf16 / f32: wall {bf16.Samples.BestWall / f32.Samples.BestWall:F3}, CPU time {bf16.Samples.BestCpu / f32.Samples.BestCpu:F3}, " +
                $"peak RSS {Mib(bf16.PeakKb)} / {Mib(f32.PeakKb)} MiB, last loss {bf16.LastLoss:F4} / {f32.LastLoss:F4}"));
        }

        IReadOnlyDictionary<int, BenchForwardSamples>? peer = null;
        var missing = "--no-torch";
        if (withPeer)
        {
            peer = BenchForwardTorchPeer.Run(
            [
                "train-step", "--layers", Text(shape.Layers), "--width", Text(shape.Channels), "--heads", Text(shape.Heads),
                "--vocab", Text(shape.Vocab), "--positions", Text(shape.Positions), "--batch", Text(shape.Batch), "--seq", Text(shape.Seq),
                "--threads", "1", "2", "--steps", Text(steps),
            ], out missing);
        }

        if (peer is null || peer.Count == 0)
        {
            Console.WriteLine($"  PyTorch missing: {missing}");
        }
        else
        {
            var perThread = peer.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{p.Key} thread(s) best {p.Value.BestWall * 1e3:F1} ms/step, CPU {p.Value.BestCpu * 1e3:F1} ms"));
            Console.WriteLine($"  {BenchForwardTorchPeer.Describe()}: {string.Join("; ", perThread)}");
        }

        return runs.Select(r => Row(shape, r.Precision, r.Result, peer));
    }

    private static string Row(TrainShape shape, GemmPrecision precision, LoomRun run, IReadOnlyDictionary<int, BenchForwardSamples>? peer)
    {
        var tokens = shape.Batch * shape.Seq;
        var loom = run.Samples;
        var label = precision == GemmPrecision.BFloat16 ? " [bf16 autocast]" : string.Empty;
        var loomCells = string.Create(CultureInfo.InvariantCulture,
            $"| ({shape.Name}) {shape.Title}{label} | {loom.BestWall * 1e3:F1} | {tokens / loom.BestWall:F0} | {loom.BestCpu * 1e3:F1} |");
        var tail = string.Create(CultureInfo.InvariantCulture, $"{run.BytesPerStep / (1 << 20):F1} | {run.Collections} |");
        if (peer is null || peer.Count == 0)
        {
            return $"{loomCells} — | — | — | — | — | {Mib(run.PeakKb)} | — | {tail}";
        }

        var (best, torch) = peer.MinBy(p => p.Value.BestWall);
        return string.Create(CultureInfo.InvariantCulture,
            $"{loomCells} {torch.BestWall * 1e3:F1} | {tokens / torch.BestWall:F0} | {best} | {torch.BestWall / loom.BestWall:F2} | " +
            $"{torch.BestCpu / loom.BestCpu:F2} | {Mib(run.PeakKb)} | {Mib(BenchForwardTorchPeer.PeakRssKb)} | {tail}");
    }

    /// <summary>Builds the model afresh (peak memory reset first) and times its steps at <paramref name="precision"/>.</summary>
    private static LoomRun RunLoom(TrainShape shape, int threads, int steps, GemmPrecision precision)
    {
        var tokens = shape.Batch * shape.Seq;
        var previous = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = threads;
        BenchForwardSamples loom;
        double bytesPerStep;
        string gcs;
        long? loomPeak;
        float lastLoss;
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ResetPeakResidentSet();
            // Dropout 0, as the nanoGPT recipe and the PyTorch peer (GPT-2's config default would be 0.1).
            var config = new Gpt2Config
            {
                Layers = shape.Layers,
                Channels = shape.Channels,
                Heads = shape.Heads,
                VocabSize = shape.Vocab,
                Positions = shape.Positions,
                EmbeddingDropout = 0f,
                AttentionDropout = 0f,
                ResidualDropout = 0f,
            };
            var weights = Weights.Initialize(new Generator(0));
            var model = new Gpt2LmHeadModel(weights, config);
            weights.Training = true;
            var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 1e-4, weightDecay: 0.01);
            var random = new Random(0);
            var ids = IntTensor.FromArray([.. Enumerable.Range(0, tokens).Select(_ => random.Next(shape.Vocab))], shape.Batch, shape.Seq);
            var losses = new List<float>();
            void Step()
            {
                optimizer.ZeroGrad(releaseBuffers: true);
                using (Tensor.Autocast(precision))
                {
                    var loss = model.Forward(ids, labels: ids).Loss!;
                    loss.Backward(releaseGraph: true);
                    losses.Add(loss.Item());
                }

                optimizer.Step();
            }

            Step(); // warm-up: JIT, optimizer state
            var bytes = GC.GetTotalAllocatedBytes(true);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            loom = BenchForwardSamples.Measure(Step, 0, steps);
            bytesPerStep = (GC.GetTotalAllocatedBytes(true) - bytes) / (double)steps;
            gcs = string.Join("/", Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - collections[g]).ToString(CultureInfo.InvariantCulture)));
            loomPeak = PeakResidentSetKb();
            lastLoss = losses[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Loom {(precision == GemmPrecision.BFloat16 ? "bf16" : "f32")}: best {loom.BestWall * 1e3:F1} ms/step (median {loom.MedianWall * 1e3:F1}), CPU {loom.BestCpu * 1e3:F1} ms/step, {tokens / loom.BestWall:F0} tokens/s; " +
                $"{bytesPerStep / (1 << 20):F1} MiB allocated/step; losses {losses[0]:F4} → {losses[^1]:F4}"));
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = previous;
        }

        return new LoomRun(loom, bytesPerStep, gcs, loomPeak, lastLoss);
    }

    private static string Mib(long? kb) => kb is { } v ? (v / 1024d).ToString("F0", CultureInfo.InvariantCulture) : "—";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Resets the kernel's peak-RSS mark of this process (Linux: "5" to /proc/self/clear_refs); ignored elsewhere.</summary>
    private static void ResetPeakResidentSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux or not permitted: the peak then covers the whole process.
        }
    }

    /// <summary>VmHWM of /proc/self/status in KiB (Linux), else the process's peak working set.</summary>
    private static long? PeakResidentSetKb()
    {
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1024;
    }

    private sealed record LoomRun(BenchForwardSamples Samples, double BytesPerStep, string Collections, long? PeakKb, float LastLoss);

    private sealed record TrainShape(string Name, string Title, int Layers, int Channels, int Heads, int Vocab, int Positions, int Batch, int Seq, int DefaultSteps);
}
