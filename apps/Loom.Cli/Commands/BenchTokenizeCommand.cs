using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Loom.Tokenizers;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench tokenize</c>: encode throughput (MB/s of UTF-8 input) of Loom's tokenizers beside Hugging Face
/// tokenizers (npm <c>tokenizers</c>, the native Rust core) and tiktoken (npm, WASM), which node runs in the same
/// benchmark run (<c>bench/tokenize/bench.mjs</c>) on the same documents. "1 thread" is one document at a time;
/// "all threads" is batches of 512 documents encoded in parallel. Every library must produce the same ids
/// (sha256 of all ids as little-endian u32, the digest of shared/fixtures/tokenizers/bench).
/// </summary>
internal static class BenchTokenizeCommand
{
    private const int BatchSize = 512;

    private static readonly string[] s_tokenizers = ["gpt2", "bert-base-uncased", "bert-base-chinese", "llama2"];

    public static Command Create()
    {
        var shared = new Option<string?>("--shared") { Description = "The shared folder with data/ and fixtures/ (default: found above the working directory)" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per measurement; the best counts", DefaultValueFactory = _ => 3 };
        var megabytes = new Option<double?>("--megabytes") { Description = "Use only the first documents, up to this many MB of each text (default: all ~20 MB)" };
        var texts = new Option<string[]>("--texts") { Description = "Texts to encode", DefaultValueFactory = _ => ["english", "chinese"], AllowMultipleArgumentsPerToken = true };
        texts.AcceptOnlyFromAmong("english", "chinese");
        var tokenizers = new Option<string[]>("--tokenizers") { Description = "Tokenizers (fixture folder names)", DefaultValueFactory = _ => s_tokenizers, AllowMultipleArgumentsPerToken = true };
        tokenizers.AcceptOnlyFromAmong(s_tokenizers);
        var noPeers = new Option<bool>("--no-peers") { Description = "Measure Loom only (no node run)" };

        var command = new Command("tokenize", "Encode MB/s of Loom's tokenizers beside HF tokenizers and tiktoken (node), and their ratios");
        command.Options.Add(shared);
        command.Options.Add(repeats);
        command.Options.Add(megabytes);
        command.Options.Add(texts);
        command.Options.Add(tokenizers);
        command.Options.Add(noPeers);
        command.SetAction(parse =>
        {
            var sharedDir = parse.GetValue(shared) ?? FindAbove(Directory.GetCurrentDirectory(), "shared/fixtures/tokenizers", "shared");
            if (sharedDir is null || !Directory.Exists(Path.Combine(sharedDir, "fixtures/tokenizers")) || !Directory.Exists(Path.Combine(sharedDir, "data")))
            {
                Console.Error.WriteLine("bench tokenize: expected a shared folder with data/ and fixtures/tokenizers/ (give --shared); found none.");
                return 2;
            }

            if (parse.GetValue(repeats) < 1 || parse.GetValue(megabytes) is <= 0)
            {
                Console.Error.WriteLine("bench tokenize: --repeats must be at least 1 and --megabytes positive.");
                return 2;
            }

            var script = parse.GetValue(noPeers) ? null : FindAbove(Directory.GetCurrentDirectory(), "bench/tokenize/bench.mjs", "bench/tokenize/bench.mjs");
            Run(sharedDir, script, parse.GetValue(texts)!, parse.GetValue(tokenizers)!, parse.GetValue(repeats), parse.GetValue(megabytes));
            return 0;
        });
        return command;
    }

    private static void Run(string shared, string? script, string[] textNames, string[] tokenizerNames, int repeats, double? megabytes)
    {
        var work = Directory.CreateTempSubdirectory("loom-bench-tokenize-");
        try
        {
            var fixtures = Path.Combine(shared, "fixtures/tokenizers");
            var documents = new Dictionary<string, List<string>>();
            foreach (var name in textNames)
            {
                var text = name == "english" ? BenchTokenizeTexts.English(Path.Combine(shared, "data")) : BenchTokenizeTexts.Chinese(Path.Combine(shared, "data"));
                Console.WriteLine($"{name}: {Utf8Bytes(text):N0} B, sha256 {Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))}");
                documents[name] = Cut(BenchTokenizeTexts.Documents(text), megabytes);
                File.WriteAllText(Path.Combine(work.FullName, name + ".docs.json"), JsonSerializer.Serialize(documents[name]));
            }

            var peers = script is null ? [] : RunPeers(script, work.FullName, fixtures, textNames, tokenizerNames, repeats);
            Console.WriteLine($"cores: {Environment.ProcessorCount}; best of {repeats} runs; MB = 1e6 B of UTF-8 input");
            var table = new List<string>
            {
                "| tokenizer | text | threads | Loom MB/s | HF MB/s | tiktoken MB/s | Loom/HF | Loom/tiktoken | Loom/HF by CPU time | Loom/tiktoken by CPU time | ids equal |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
            };
            foreach (var textName in textNames)
            {
                var docs = documents[textName];
                var bytes = docs.Sum(Utf8Bytes);
                foreach (var tokenizerName in tokenizerNames)
                {
                    var tokenizer = AutoTokenizer.Load(Path.Combine(fixtures, tokenizerName, "tokenizer.json"));
                    _ = EncodeBatches(tokenizer, docs); // warm-up
                    foreach (var (mode, label) in ((string Mode, string Label)[])[("loop", "1"), ("batch", "all")])
                    {
                        var loom = Measure(repeats, mode == "loop" ? () => EncodeLoop(tokenizer, docs) : () => EncodeBatches(tokenizer, docs));
                        var hf = peers.Find(p => p.Library == "hf" && p.Tokenizer == tokenizerName && p.Text == textName && p.Mode == mode);
                        var tiktoken = peers.Find(p => p.Library == "tiktoken" && p.Tokenizer == tokenizerName && p.Text == textName && p.Mode == mode);
                        var loomRate = bytes / loom.WallSeconds / 1e6;
                        var equal = hf is null ? "—" : (hf.Sha256 == loom.Sha256 && (tiktoken is null || tiktoken.Sha256 == loom.Sha256) ? "yes" : $"NO ({loom.Tokens:N0} vs {hf.Tokens:N0} tokens)");
                        table.Add(string.Create(CultureInfo.InvariantCulture,
                            $"| {tokenizerName} | {textName} | {label} | {loomRate:F2} | {Rate(hf, bytes)} | {Rate(tiktoken, bytes)} | {Ratio(hf?.WallSeconds, loom.WallSeconds)} | {Ratio(tiktoken?.WallSeconds, loom.WallSeconds)} | {Ratio(hf?.CpuSeconds, loom.CpuSeconds)} | {Ratio(tiktoken?.CpuSeconds, loom.CpuSeconds)} | {equal} |"));
                        Console.WriteLine(table[^1]);
                    }
                }
            }

            Console.WriteLine();
            table.ForEach(Console.WriteLine);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>One record printed by bench.mjs.</summary>
    private sealed record PeerResult(string Library, string Tokenizer, string Text, string Mode, double WallSeconds, double CpuSeconds, long Tokens, string Sha256);

    private static List<PeerResult> RunPeers(string script, string work, string fixtures, string[] textNames, string[] tokenizerNames, int repeats)
    {
        var request = new
        {
            repeats,
            texts = textNames.Select(t => new { name = t, docs = Path.Combine(work, t + ".docs.json") }),
            tokenizers = tokenizerNames.Select(t => new { name = t, path = Path.Combine(fixtures, t, "tokenizer.json") }),
            tiktoken = tokenizerNames.Contains("gpt2") ? new[] { new { name = "gpt2", encoding = "gpt2" } } : [],
        };
        var requestPath = Path.Combine(work, "request.json");
        File.WriteAllText(requestPath, JsonSerializer.Serialize(request));
        Console.WriteLine($"peers: node {script} (HF tokenizers and tiktoken from bench/tokenize/node_modules) …");
        var start = new ProcessStartInfo("node", [script, requestPath]) { RedirectStandardOutput = true };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("bench tokenize: could not start node.");
        var results = new List<PeerResult>();
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        while (node.StandardOutput.ReadLine() is { } line)
        {
            var result = JsonSerializer.Deserialize<PeerResult>(line, options)!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {result.Library} {result.Tokenizer} {result.Text} {result.Mode}: {result.WallSeconds:F2} s wall, {result.CpuSeconds:F2} s CPU, {result.Tokens:N0} tokens"));
            results.Add(result);
        }

        node.WaitForExit();
        if (node.ExitCode != 0)
        {
            Console.WriteLine($"peers: node exited with {node.ExitCode} (run `npm ci` in bench/tokenize); printing what it measured.");
        }

        return results;
    }

    private static List<int[]> EncodeLoop(Tokenizer tokenizer, List<string> docs) =>
        docs.ConvertAll(doc => tokenizer.Encode(doc).Ids.ToArray());

    private static List<int[]> EncodeBatches(Tokenizer tokenizer, List<string> docs)
    {
        var ids = new List<int[]>(docs.Count);
        for (var i = 0; i < docs.Count; i += BatchSize)
        {
            ids.AddRange(tokenizer.EncodeBatch(docs.GetRange(i, Math.Min(BatchSize, docs.Count - i))).Select(e => e.Ids.ToArray()));
        }

        return ids;
    }

    /// <summary>Best wall and process CPU seconds of <paramref name="repeats"/> runs, with the ids digest of the last.</summary>
    private static (double WallSeconds, double CpuSeconds, long Tokens, string Sha256) Measure(int repeats, Func<List<int[]>> encode)
    {
        double wall = double.MaxValue, cpu = double.MaxValue;
        List<int[]> ids = [];
        for (var r = 0; r < repeats; r++)
        {
            var cpuStart = Environment.CpuUsage.TotalTime;
            var start = Stopwatch.GetTimestamp();
            ids = encode();
            wall = Math.Min(wall, Stopwatch.GetElapsedTime(start).TotalSeconds);
            cpu = Math.Min(cpu, (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long tokens = 0;
        foreach (var sequence in ids)
        {
            // Ids as little-endian u32 (this machine is little-endian, as the digest's definition assumes).
            hash.AppendData(MemoryMarshal.AsBytes(sequence.AsSpan()));
            tokens += sequence.Length;
        }

        return (wall, cpu, tokens, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static List<string> Cut(List<string> docs, double? megabytes)
    {
        if (megabytes is not { } mb)
        {
            return docs;
        }

        long bytes = 0;
        return docs.TakeWhile(d => (bytes += Utf8Bytes(d)) <= mb * 1e6).ToList();
    }

    private static int Utf8Bytes(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    private static string Rate(PeerResult? peer, long bytes) =>
        peer is null ? "—" : (bytes / peer.WallSeconds / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private static string Ratio(double? peerSeconds, double loomSeconds) =>
        peerSeconds is { } s ? (s / loomSeconds).ToString("F2", CultureInfo.InvariantCulture) : "—";

    /// <summary>The first directory at or above <paramref name="from"/> holding <paramref name="probe"/>, joined with <paramref name="result"/>.</summary>
    private static string? FindAbove(string from, string probe, string result)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, probe)))
            {
                return Path.Combine(dir.FullName, result);
            }
        }

        return null;
    }
}
