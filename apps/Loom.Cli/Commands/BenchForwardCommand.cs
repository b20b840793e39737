using System.CommandLine;
using System.Globalization;
using Loom.Core;
using Loom.Kernels;
using Loom.Models.Bert;
using Loom.Models.Gpt2;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench forward</c> (issue 4): inference tokens/s of a BERT-base-shaped encoder (12 × 768, 12 heads, FFN 3072,
/// no pooler) on a batch of 8 × 128, and of a GPT-2-small-shaped decoder prefill of 512 tokens (logits over the tied
/// 50257-word head included), random weights, no autograd graph — beside the same models in torch.nn run by
/// <c>bench/torch/loom_peer.py</c> in the same run, whose best of 1 and 2 threads is the reference.
/// </summary>
internal static class BenchForwardCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "bert or gpt2 (default: both)" };
        model.AcceptOnlyFromAmong("bert", "gpt2");
        var threads = new Option<int?>("--threads") { Description = "Loom threads (default: 1 and 2); PyTorch always runs 1 and 2 and its best counts" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs after one warm-up; the best counts", DefaultValueFactory = _ => 3 };
        var noPeer = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer" };
        var command = new Command("forward", "Inference tokens/s of BERT-base 8×128 and GPT-2-small prefill 512, beside PyTorch");
        command.Options.Add(model);
        command.Options.Add(threads);
        command.Options.Add(repeats);
        command.Options.Add(noPeer);
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is < 1 || parse.GetValue(repeats) < 1)
            {
                Console.Error.WriteLine("bench forward: --threads and --repeats must be at least 1.");
                return 2;
            }

            string[] models = parse.GetValue(model) is { } m ? [m] : ["bert", "gpt2"];
            int[] threadCounts = parse.GetValue(threads) is { } t ? [t] : [1, 2];
            var rows = new List<string>
            {
                "| model | shape | Loom threads | Loom tokens/s | PyTorch tokens/s (best of 1, 2 threads) | Loom/PyTorch (wall) | Loom/PyTorch (CPU time) |",
                "|---|---|---:|---:|---:|---:|---:|",
            };
            foreach (var name in models)
            {
                rows.AddRange(Run(name, threadCounts, parse.GetValue(repeats), !parse.GetValue(noPeer)));
            }

            Console.WriteLine();
            rows.ForEach(Console.WriteLine);
            return 0;
        });
        return command;
    }

    private static IEnumerable<string> Run(string name, int[] threadCounts, int repeats, bool withPeer)
    {
        var (batch, seq) = name == "bert" ? (8, 128) : (1, 512);
        var tokens = batch * seq;
        var shape = name == "bert" ? "12×768, B 8 × T 128" : "12×768, prefill T 512 + LM head";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} {shape}: best of {repeats} runs after 1 warm-up; load average {BenchTrainStepCommand.LoadAverage()}"));

        var weights = Weights.Initialize(new Generator(0));
        weights.Training = false;
        var random = new Random(0);
        Action forward;
        if (name == "bert")
        {
            var config = new BertConfig();
            var bert = new BertModel(weights, config, addPoolingLayer: false);
            var ids = IntTensor.FromArray([.. Enumerable.Range(0, tokens).Select(_ => random.Next(config.VocabSize))], batch, seq);
            forward = () => bert.Forward(ids);
        }
        else
        {
            var config = new Gpt2Config();
            var gpt2 = new Gpt2LmHeadModel(weights, config);
            var ids = IntTensor.FromArray([.. Enumerable.Range(0, tokens).Select(_ => random.Next(config.VocabSize))], batch, seq);
            forward = () => gpt2.Forward(ids);
        }

        var loom = new Dictionary<int, BenchForwardSamples>();
        var previous = KernelOptions.DegreeOfParallelism;
        try
        {
            using var noGrad = Tensor.NoGrad();
            foreach (var threads in threadCounts)
            {
                KernelOptions.DegreeOfParallelism = threads;
                loom[threads] = BenchForwardSamples.Measure(forward, 1, repeats);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Loom {threads} thread(s): {tokens / loom[threads].BestWall:F1} tokens/s (best {loom[threads].BestWall * 1e3:F0} ms, " +
                    $"median {loom[threads].MedianWall * 1e3:F0} ms, CPU {loom[threads].BestCpu * 1e3:F0} ms)"));
            }
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = previous;
        }

        var missing = "--no-torch";
        var peer = withPeer
            ? BenchForwardTorchPeer.Run(
                ["forward", "--model", name, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--seq", seq.ToString(CultureInfo.InvariantCulture),
                    "--threads", "1", "2", "--steps", repeats.ToString(CultureInfo.InvariantCulture)], out missing)
            : null;
        if (peer is null)
        {
            Console.Error.WriteLine($"Peer missing: {missing}");
            return threadCounts.Select(t => string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {shape} | {t} | {tokens / loom[t].BestWall:F1} | — | — | — |"));
        }

        foreach (var (threads, samples) in peer.OrderBy(p => p.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PyTorch {threads} thread(s): {tokens / samples.BestWall:F1} tokens/s (best {samples.BestWall * 1e3:F0} ms, CPU {samples.BestCpu * 1e3:F0} ms)"));
        }

        Console.WriteLine($"Peer: {BenchForwardTorchPeer.Describe()}");
        var torch = peer.Values.MinBy(s => s.BestWall)!;
        var torchCpu = peer.Values.Min(s => s.BestCpu);
        return threadCounts.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {shape} | {t} | {tokens / loom[t].BestWall:F1} | {tokens / torch.BestWall:F1} | {torch.BestWall / loom[t].BestWall:F3} | {torchCpu / loom[t].BestCpu:F3} |"));
    }
}
