using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Loom.Core;
using Loom.Kernels;
using Loom.Models.Gpt2;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench train-step</c>: one forward + backward + AdamW step of a GPT-2-small-shaped
/// <see cref="Gpt2LmHeadModel"/> with random weights (issue 2), in ms/step and tokens/s, with managed allocations
/// and GC collections per steady-state step, beside the same model written in torch.nn and run by
/// <c>bench/torch/loom_peer.py</c> in the same run.
/// </summary>
internal static class BenchTrainStepCommand
{
    public static Command Create()
    {
        var layers = new Option<int>("--layers") { Description = "Blocks L", DefaultValueFactory = _ => 12 };
        var width = new Option<int>("--width") { Description = "Channels C", DefaultValueFactory = _ => 768 };
        var heads = new Option<int>("--heads") { Description = "Heads H", DefaultValueFactory = _ => 12 };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary V", DefaultValueFactory = _ => 50257 };
        var batch = new Option<int>("--batch") { Description = "Batch B", DefaultValueFactory = _ => 4 };
        var seq = new Option<int>("--seq") { Description = "Sequence length T", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "Threads for Loom and PyTorch", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed steps after one warm-up step; the best counts", DefaultValueFactory = _ => 3 };
        var noPeer = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer" };

        var command = new Command("train-step", "ms/step, tokens/s and allocations/step of a GPT-2 training step, beside PyTorch");
        foreach (var option in new Option[] { layers, width, heads, vocab, batch, seq, threads, steps, noPeer })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            int[] sizes = [parse.GetValue(layers), parse.GetValue(width), parse.GetValue(heads), parse.GetValue(vocab),
                parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(threads), parse.GetValue(steps)];
            if (sizes.Any(v => v < 1) || parse.GetValue(width) % parse.GetValue(heads) != 0 || parse.GetValue(seq) > 1024)
            {
                Console.Error.WriteLine("bench train-step: every size must be at least 1, --width divisible by --heads, --seq at most 1024.");
                return 2;
            }

            var config = new Gpt2Config
            {
                Layers = parse.GetValue(layers),
                Channels = parse.GetValue(width),
                Heads = parse.GetValue(heads),
                VocabSize = parse.GetValue(vocab),
                EmbeddingDropout = 0f, // as the PyTorch peer (GPT-2's config default would be 0.1)
                AttentionDropout = 0f,
                ResidualDropout = 0f,
            };
            Run(config, parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(threads), parse.GetValue(steps), !parse.GetValue(noPeer));
            return 0;
        });
        return command;
    }

    private static void Run(Gpt2Config config, int batch, int seq, int threads, int steps, bool withPeer)
    {
        var tokens = batch * seq;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GPT-2 train step: L={config.Layers} C={config.Channels} H={config.Heads} V={config.VocabSize} B={batch} T={seq}, threads {threads}, " +
            $"best of {steps} steps after 1 warm-up; cores {Environment.ProcessorCount}, load average {LoadAverage()}"));

        var previous = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = threads;
        try
        {
            var weights = Weights.Initialize(new Generator(0));
            var model = new Gpt2LmHeadModel(weights, config);
            weights.Training = true;
            var optimizer = new AdamW(model.Parameters.Select(p => p.Value), learningRate: 1e-4, weightDecay: 0.01);
            var random = new Random(0);
            var ids = IntTensor.FromArray([.. Enumerable.Range(0, tokens).Select(_ => random.Next(config.VocabSize))], batch, seq);

            // Phase breakdown of each step (forward incl. loss, backward, optimizer), the cheapest profile there is.
            var phases = new List<(double Forward, double Backward, double Optimizer)>();
            var losses = new List<float>();
            void Step()
            {
                var start = Stopwatch.GetTimestamp();
                optimizer.ZeroGrad();
                var loss = model.Forward(ids, labels: ids).Loss!;
                var forward = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                loss.Backward();
                var backward = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                optimizer.Step();
                var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                phases.Add((forward, backward - forward, total - backward));
                losses.Add(loss.Item());
            }

            Step(); // warm-up: JIT, optimizer state, pools
            var bytes = GC.GetTotalAllocatedBytes(true);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var loom = BenchForwardSamples.Measure(Step, 0, steps);
            var bytesPerStep = (GC.GetTotalAllocatedBytes(true) - bytes) / (double)steps;
            var gcs = string.Join("/", Enumerable.Range(0, 3).Select(g => (GC.CollectionCount(g) - collections[g]).ToString(CultureInfo.InvariantCulture)));
            var best = phases.Skip(1).MinBy(p => p.Forward + p.Backward + p.Optimizer);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Loom: best {loom.BestWall * 1e3:F0} ms/step (median {loom.MedianWall * 1e3:F0}), {tokens / loom.BestWall:F1} tokens/s, " +
                $"CPU {loom.BestCpu * 1e3:F0} ms/step; losses {string.Join(", ", losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Loom best step: forward+loss {best.Forward:F0} ms, backward {best.Backward:F0} ms, AdamW {best.Optimizer:F0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Loom managed allocations: {bytesPerStep / (1 << 20):F1} MiB/step; GC collections gen0/gen1/gen2 over {steps} steps: {gcs}"));

            IReadOnlyDictionary<int, BenchForwardSamples>? peer = null;
            var missing = "--no-torch";
            if (withPeer)
            {
                peer = BenchForwardTorchPeer.Run(
                [
                    "train-step", "--layers", Text(config.Layers), "--width", Text(config.Channels), "--heads", Text(config.Heads),
                    "--vocab", Text(config.VocabSize), "--batch", Text(batch), "--seq", Text(seq), "--threads", Text(threads),
                    "--steps", Text(steps),
                ], out missing);
            }

            Console.WriteLine(peer is null ? $"Peer missing: {missing}" : $"Peer: {BenchForwardTorchPeer.Describe()}");
            Console.WriteLine();
            Console.WriteLine("| threads | Loom ms/step | Loom tokens/s | PyTorch ms/step | PyTorch tokens/s | Loom/PyTorch (wall) | Loom/PyTorch (CPU time) | Loom MiB/step | Loom GCs gen0/1/2 |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            if (peer is null || !peer.TryGetValue(threads, out var torch))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {threads} | {loom.BestWall * 1e3:F0} | {tokens / loom.BestWall:F1} | — | — | — | — | {bytesPerStep / (1 << 20):F1} | {gcs} |"));
                return;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {threads} | {loom.BestWall * 1e3:F0} | {tokens / loom.BestWall:F1} | {torch.BestWall * 1e3:F0} | {tokens / torch.BestWall:F1} | " +
                $"{torch.BestWall / loom.BestWall:F3} | {torch.BestCpu / loom.BestCpu:F3} | {bytesPerStep / (1 << 20):F1} | {gcs} |"));
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = previous;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The 1-minute load average (Linux), so a reader knows how busy the machine was.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
