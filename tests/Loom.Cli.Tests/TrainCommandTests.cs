using System.Diagnostics;
using System.Text;
using Loom.Core;
using Loom.Formats.Safetensors;
using Loom.Training;

namespace Loom.Cli.Tests;

/// <summary>
/// `loom train` as a separate process: killed with SIGKILL mid-training and resumed with --resume, it ends with the same
/// weights bit for bit and the same logged losses as a run that was never interrupted.
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    private const int MaxSteps = 200;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loom-cli-train-" + Guid.NewGuid().ToString("N"));

    public TrainCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_run_killed_with_sigkill_and_resumed_ends_bit_identical_to_an_uninterrupted_run()
    {
        var config = WriteConfig();
        var straight = Path.Combine(_root, "straight");
        var resumed = Path.Combine(_root, "resumed");
        Finish(Start(config, straight));

        var (victim, _) = Start(config, resumed);
        using (victim)
        {
            var clock = Stopwatch.StartNew();
            while (!TrainerCheckpoint.Steps(resumed).Any(s => s >= 20) && !victim.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(10);
            }

            Assert.False(victim.HasExited, "the run finished before it could be killed; raise MaxSteps");
            victim.Kill(); // SIGKILL on Unix: no handler, no flush, no cleanup
            victim.WaitForExit();
        }

        var killedAt = TrainerCheckpoint.Steps(resumed)[^1];
        Assert.InRange(killedAt, 20, MaxSteps - 10);
        Finish(Start(config, resumed, "--resume"));

        using var expected = SafetensorsCheckpoint.Open(Path.Combine(TrainerCheckpoint.FolderOf(straight, MaxSteps), "model.safetensors"));
        using var actual = SafetensorsCheckpoint.Open(Path.Combine(TrainerCheckpoint.FolderOf(resumed, MaxSteps), "model.safetensors"));
        Assert.Equal(expected.Names.Order(StringComparer.Ordinal), actual.Names.Order(StringComparer.Ordinal));
        foreach (var name in expected.Names)
        {
            Assert.Equal(expected.ReadFloat32(name), actual.ReadFloat32(name)); // exact float equality
        }

        Assert.Equal(Losses(straight), Losses(resumed));
        Assert.Equal(MaxSteps / 10, Losses(resumed).Count);
    }

    private static List<string> Losses(string output) =>
        [.. TrainingLog.Read(Path.Combine(output, "log.jsonl")).Select(r => $"{r.Kind} {r.Step} {(r.Kind == "train" ? r.Values["loss"] : r.Values["eval_loss"]):R}")
            .Where(line => line.StartsWith("train", StringComparison.Ordinal))];

    private string WriteConfig()
    {
        // A small synthetic corpus: sentences drawn from a fixed word list with a seeded generator.
        string[] words = ["the", "king", "queen", "speaks", "of", "love", "and", "war", "to", "his", "her", "lord", "good", "night", "sweet"];
        var rng = new Generator(3);
        var text = new StringBuilder();
        while (text.Length < 20_000)
        {
            var length = 4 + rng.NextInt(6);
            text.Append(string.Join(' ', Enumerable.Range(0, length).Select(_ => words[rng.NextInt(words.Length)]))).Append(".\n");
        }

        var textPath = Path.Combine(_root, "corpus.txt");
        File.WriteAllText(textPath, text.ToString());
        var config = Path.Combine(_root, "tiny.yaml");
        File.WriteAllText(config, $"""
            task: clm
            text: {textPath}
            layers: 1
            heads: 2
            width: 16
            block_size: 16
            batch_size: 4
            max_steps: {MaxSteps}
            warmup_steps: 10
            learning_rate: 3e-3
            min_learning_rate: 3e-4
            eval_every: 50
            eval_batches: 2
            save_every: 10
            keep_last: 2
            log_every: 10
            seed: 7
            threads: 1
            """);
        return config;
    }

    private static (Process Process, StringBuilder Errors) Start(string config, string output, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "loom.dll"), "train", "--config", config, "--output", output, "--plain" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, errors);
    }

    private static void Finish((Process Process, StringBuilder Errors) child)
    {
        using var process = child.Process;
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            throw new TimeoutException("loom train did not finish within 120 s");
        }

        process.WaitForExit();
        lock (child.Errors)
        {
            Assert.True(process.ExitCode == 0, $"loom train exited with {process.ExitCode}: {child.Errors}");
        }
    }
}
