using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Loom.Core;
using Loom.Kernels;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench generate</c> (issue 5): prefill tokens/s (512-token prompt) and decode tokens/s (batch 1, KV cache: after
/// that prompt, and from an empty cache as llama.cpp's <c>llama-bench</c> "tg" test measures it) of
/// LLaMA-shaped random-weight models with the dimensions of stories15M and stories110M (untied 32000-word head), with
/// F32, Q8_0 and Q4_0 matrices, at 1 and 2 threads, plus batched decode (batch 8); decode is also reported as GB/s of
/// weights read per token, and as process CPU milliseconds per token (comparable on a shared machine). Q8_0 / Q4_0 rows are measured with float32 activations (the exact dequantised product) and
/// with int8 activations (<see cref="QuantizedActivations.Int8"/>, llama.cpp's integer dot products). Beside it, <c>bench/torch/loom_generate_peer.py</c> runs the same shapes in PyTorch (float32;
/// torch 1.13 has no Q8_0 / Q4_0 CPU matmul) in the same run. The last two columns are the bytes allocated per decoded
/// token (<see cref="BenchGenerateAllocations"/>).
/// </summary>
internal static class BenchGenerateCommand
{
    private static readonly (string Name, int Dim, int Layers, int Heads, int Ffn)[] Shapes =
    [
        ("stories15M", 288, 6, 6, 768),
        ("stories110M", 768, 12, 12, 2048),
    ];

    private const int Vocab = 32000;

    public static Command Create()
    {
        var shape = new Option<string?>("--shape") { Description = "stories15M or stories110M (default: both)" };
        shape.AcceptOnlyFromAmong("stories15M", "stories110M");
        var format = new Option<string?>("--format") { Description = "F32, Q8_0 or Q4_0 (default: all)" };
        format.AcceptOnlyFromAmong("F32", "Q8_0", "Q4_0");
        var threads = new Option<int?>("--threads") { Description = "Threads (default: 1 and 2)" };
        var steps = new Option<int>("--steps") { Description = "Decode steps at batch 1", DefaultValueFactory = _ => 256 };
        var prompt = new Option<int>("--prompt") { Description = "Prefill length", DefaultValueFactory = _ => 512 };
        var noPeer = new Option<bool>("--no-torch") { Description = "Skip the PyTorch peer" };
        var noHugePages = new Option<bool>("--no-huge-pages") { Description = "Leave the weights on the default pages (the loaders advise huge pages)" };
        var activations = new Option<string?>("--quantized-activations") { Description = "Activations of Q8_0 / Q4_0 products: f32 or int8 (default: both)" };
        activations.AcceptOnlyFromAmong("f32", "int8");
        var command = new Command("generate", "Prefill and decode tokens/s of stories15M/110M-shaped LLaMA models (F32, Q8_0, Q4_0), beside PyTorch");
        command.Options.Add(shape);
        command.Options.Add(format);
        command.Options.Add(threads);
        command.Options.Add(steps);
        command.Options.Add(prompt);
        command.Options.Add(noPeer);
        command.Options.Add(noHugePages);
        command.Options.Add(activations);
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is < 1 || parse.GetValue(steps) < 1 || parse.GetValue(prompt) < 1)
            {
                Console.Error.WriteLine("bench generate: --threads, --steps and --prompt must be at least 1.");
                return 2;
            }

            int[] threadCounts = parse.GetValue(threads) is { } t ? [t] : [1, 2];
            string[] formats = parse.GetValue(format) is { } f ? [f] : ["F32", "Q8_0", "Q4_0"];
            QuantizedActivations[] activationModes = parse.GetValue(activations) switch
            {
                "f32" => [QuantizedActivations.Float32],
                "int8" => [QuantizedActivations.Int8],
                _ => [QuantizedActivations.Float32, QuantizedActivations.Int8],
            };
            var rows = new List<string>
            {
                "| shape | weights | activations | threads | weight MB | on huge pages MB | prefill tok/s | decode tok/s (batch 1, after prompt) | decode tok/s (batch 1, from empty cache) | decode CPU ms/token | decode GB/s of weights | batch-8 decode tok/s | PyTorch F32 prefill tok/s | PyTorch F32 decode tok/s | Loom/PyTorch decode | forward KB allocated/token | sampling loop KB allocated/token |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            };
            foreach (var s in Shapes.Where(s => parse.GetValue(shape) is not { } only || only == s.Name))
            {
                var peer = parse.GetValue(noPeer) ? null : RunPeer(s, threadCounts, parse.GetValue(prompt), parse.GetValue(steps));
                foreach (var name in formats)
                {
                    var model = Build(s, name, out var weightBytes, out var weights);
                    var hugeBytes = parse.GetValue(noHugePages) ? 0 : weights.AdviseHugePages();
                    foreach (var (mode, n) in (name == "F32" ? [QuantizedActivations.Float32] : activationModes).SelectMany(mode => threadCounts.Select(n => (mode, n))))
                    {
                        model.QuantizedActivations = mode;
                        KernelOptions.DegreeOfParallelism = n;
                        var (prefill, (decode, decodeCpu), fromEmpty, batched) = Measure(model, parse.GetValue(prompt), parse.GetValue(steps));
                        var torch = peer is not null && peer.TryGetValue(n, out var p) ? p : default;
                        var allocated = BenchGenerateAllocations.BytesPerToken(model, Math.Min(64, parse.GetValue(steps)));
                        rows.Add(string.Create(CultureInfo.InvariantCulture,
                            $"| {s.Name} | {name} | {(mode == QuantizedActivations.Int8 ? "int8" : "f32")} | {n} | {weightBytes / 1e6:F1} | {hugeBytes / 1e6:F1} | {prefill:F1} | {decode:F1} | {fromEmpty:F1} | {decodeCpu:F2} | {decode * weightBytes / 1e9:F1} | {batched:F1} | {Cell(torch.Prefill)} | {Cell(torch.Decode)} | {(torch.Decode > 0 ? (decode / torch.Decode).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-")} | {allocated.Forward / 1024:F0} | {allocated.SamplingLoop / 1024:F0} |"));
                        Console.Error.WriteLine(rows[^1]);
                    }
                }
            }

            Console.WriteLine();
            rows.ForEach(Console.WriteLine);
            return 0;
        });
        return command;
    }

    private static string Cell(double value) => value > 0 ? value.ToString("F1", CultureInfo.InvariantCulture) : "-";

    /// <summary>
    /// A random-weight model; matrices of the quantised formats are quantised with ggml's rounding and kept so. Its
    /// <paramref name="weights"/> are left on default pages (the caller advises huge pages as the loaders do, or not).
    /// </summary>
    private static LlamaForCausalLm Build((string Name, int Dim, int Layers, int Heads, int Ffn) s, string format, out long weightBytes, out Weights weights)
    {
        var config = new LlamaConfig
        {
            VocabSize = Vocab,
            HiddenSize = s.Dim,
            IntermediateSize = s.Ffn,
            Layers = s.Layers,
            Heads = s.Heads,
            KvHeadsSetting = s.Heads,
            HiddenAct = "silu",
            RmsNormEps = 1e-5f,
            TieWordEmbeddings = false,
            RopeLayout = RopeLayout.Interleaved,
        };
        var generator = new Generator(0);
        weights = format == "F32"
            ? Weights.Initialize(generator)
            : Weights.Initialize(generator, (_, shape) => QuantizedMatrix.Quantize(Tensor.Randn(generator, shape) * 0.02f, format == "Q8_0" ? QuantizedFormat.Q8_0 : QuantizedFormat.Q4_0));
        weights.Training = false;
        var model = new LlamaForCausalLm(weights, config);
        weightBytes = model.Parameters.Sum(p => 4L * p.Value.Count) + model.QuantizedParameters.Sum(p => (long)p.Value.Data.Length)
            - (format == "F32" ? 4L * Vocab * s.Dim : model.QuantizedParameters.Single(p => p.Key == "model.embed_tokens.weight").Value.Data.Length); // a lookup reads one row of the embedding, not the table
        return model;
    }

    /// <summary>
    /// Best-of-two prefill rate, batch-1 decode rate (and CPU ms per token) over <paramref name="steps"/> tokens after the
    /// prompt, the same from an empty cache (one start token, then <paramref name="steps"/> steps), batch-8 decode rate.
    /// </summary>
    private static (double Prefill, (double Rate, double CpuMs) Decode, double FromEmpty, double Batched) Measure(LlamaForCausalLm model, int prompt, int steps)
    {
        using var noGrad = Tensor.NoGrad();
        var rng = new Random(1);
        var ids = IntTensor.FromArray([.. Enumerable.Range(0, prompt).Select(_ => rng.Next(Vocab))], 1, prompt);
        double prefill = 0;
        DecoderCache cache = null!;
        for (var r = 0; r < 2; r++)
        {
            cache = new DecoderCache(model.LayerCount, prompt + steps); // preallocated: a step writes in place, copies nothing
            var clock = Stopwatch.StartNew();
            model.Forward(ids, cache: cache);
            prefill = Math.Max(prefill, prompt / clock.Elapsed.TotalSeconds);
        }

        var decode = Decode(model, cache, 1, prompt, steps, rng);
        var fromEmpty = Decode(model, null, 1, 1, steps, rng);
        var batched = Decode(model, null, 8, 16, Math.Max(8, steps / 4), rng);
        return (prefill, decode, fromEmpty.Rate, batched.Rate);
    }

    /// <summary>
    /// Tokens/s of <paramref name="steps"/> one-token steps for <paramref name="batch"/> rows after a prompt, and the
    /// process CPU time per token in milliseconds (all threads, spinning workers included).
    /// </summary>
    private static (double Rate, double CpuMs) Decode(LlamaForCausalLm model, DecoderCache? cache, int batch, int prompt, int steps, Random rng)
    {
        if (cache is null)
        {
            cache = new DecoderCache(model.LayerCount, prompt + steps);
            model.Forward(IntTensor.FromArray([.. Enumerable.Range(0, batch * prompt).Select(_ => rng.Next(Vocab))], batch, prompt), cache: cache);
        }

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < steps; s++)
        {
            var logits = model.Forward(IntTensor.FromArray([.. Enumerable.Range(0, batch).Select(_ => rng.Next(Vocab))], batch, 1), cache: cache).Logits; // (B, 1, V)
            GC.KeepAlive(logits);
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (batch * steps / elapsed, (process.TotalProcessorTime - cpu).TotalMilliseconds / (batch * steps));
    }

    private static Dictionary<int, (double Prefill, double Decode)>? RunPeer((string Name, int Dim, int Layers, int Heads, int Ffn) s, int[] threads, int prompt, int steps)
    {
        var script = new[] { Environment.CurrentDirectory, AppContext.BaseDirectory }
            .SelectMany(origin => Ancestors(new DirectoryInfo(origin)))
            .Select(dir => Path.Combine(dir.FullName, "bench/torch/loom_generate_peer.py"))
            .FirstOrDefault(File.Exists);
        if (script is null)
        {
            Console.Error.WriteLine("bench generate: bench/torch/loom_generate_peer.py not found; no PyTorch peer.");
            return null;
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("LOOM_PYTHON") ?? "/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "--shape", string.Create(CultureInfo.InvariantCulture, $"{s.Dim},{s.Layers},{s.Heads},{s.Ffn},{Vocab}"), "--threads", string.Join(',', threads), "--prompt", prompt.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OPENBLAS_CORETYPE"] = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "SkylakeX";
        var results = new Dictionary<int, (double, double)>();
        try
        {
            using var process = Process.Start(start)!;
            while (process.StandardOutput.ReadLine() is { } line)
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                results[root.GetProperty("threads").GetInt32()] = (root.GetProperty("prefill_tok_s").GetDouble(), root.GetProperty("decode_tok_s").GetDouble());
            }

            process.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"bench generate: cannot start the PyTorch peer: {e.Message}");
            return null;
        }

        return results;
    }

    private static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? dir)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            yield return dir;
        }
    }
}
