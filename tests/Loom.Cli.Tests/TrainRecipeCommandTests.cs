using System.Diagnostics;
using Loom.Training;

namespace Loom.Cli.Tests;

/// <summary>
/// `loom train` for the fine-tuning and seq2seq recipes as a separate process: a JSON config plus flags trains a few
/// steps and logs the task metrics; a bad config exits with code 2 and a message naming the setting.
/// </summary>
public sealed class TrainRecipeCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "loom-cli-recipes-" + Guid.NewGuid().ToString("N"));

    public TrainRecipeCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Finetune_qa_from_a_json_config_and_flags_logs_exact_match_and_f1()
    {
        var output = Path.Combine(_root, "qa");
        var (exit, stdout, stderr) = Loom("train", "finetune", "qa", "--config", Example("finetune_qa.json"), "--train", Data("qa_train.json"),
            "--validation", Data("qa_dev.json"), "--max-steps", "4", "--warmup-steps", "1", "--eval-every", "2", "--width", "16", "--threads", "1", "--output", output, "--plain");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("loom train finetune-qa:", stdout, StringComparison.Ordinal);
        var evaluations = TrainingLog.Read(Path.Combine(output, "log.jsonl")).Where(r => r.Kind == "eval").ToList();
        Assert.Equal([2, 4], evaluations.Select(r => r.Step));
        Assert.All(evaluations, r => Assert.InRange(r.Values["f1"], 0d, 1d));
        Assert.All(evaluations, r => Assert.InRange(r.Values["exact_match"], 0d, r.Values["f1"]));
    }

    [Fact]
    public void Pretrain_glm_from_the_example_config_and_flags_lowers_the_held_out_loss()
    {
        var (text, output) = (Path.Combine(_root, "glm.txt"), Path.Combine(_root, "glm"));
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the cat sat on the mat; a dog ran to the park. ", 40)));
        var (exit, stdout, stderr) = Loom("train", "--config", Example("pretrain_glm.yaml"), "--text", text, "--layers", "1", "--width", "32",
            "--block-size", "16", "--batch-size", "8", "--max-steps", "30", "--warmup-steps", "2", "--learning-rate", "1e-2", "--eval-every", "10",
            "--eval-batches", "2", "--save-every", "10", "--log-every", "1", "--threads", "1", "--output", output, "--plain");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("loom train glm:", stdout, StringComparison.Ordinal);
        var log = TrainingLog.Read(Path.Combine(output, "log.jsonl"));
        var first = log.First(r => r.Kind == "train").Values["loss"];
        var evaluations = log.Where(r => r.Kind == "eval").Select(r => r.Values["eval_loss"]).ToList();
        Assert.Equal(3, evaluations.Count);
        Assert.True(evaluations[^1] < first - 0.5, $"first train loss {first:F4}, held-out loss {string.Join(" → ", evaluations)}: expected a fall of more than 0.5");
    }

    [Theory]
    [InlineData("""{"task": "finetune-classification", "train": "x.csv", "epochz": 3}""", "Unknown setting 'epochz'")]
    [InlineData("""{"task": "seq2seq", "text": "x.txt", "objective": "xlnet"}""", "Setting 'objective': expected bart or t5; found 'xlnet'")]
    [InlineData("""{"task": "finetune-ner"}""", "Setting 'task': expected clm, mlm, seq2seq, glm, finetune-classification, finetune-token-classification, finetune-qa or finetune-seq2seq; found 'finetune-ner'")]
    public void A_bad_config_exits_with_code_2_naming_the_setting(string json, string message)
    {
        var config = Path.Combine(_root, "bad.json");
        File.WriteAllText(config, json);
        var (exit, _, stderr) = Loom("train", "--config", config, "--output", Path.Combine(_root, "bad"));
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    private static string Example(string name, [System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(RepositoryRoot(source), "examples", "TrainRecipes", name);

    private static string Data(string name, [System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.Combine(RepositoryRoot(source), "examples", "TrainRecipes", "data", name);

    private static string RepositoryRoot(string source)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Loom.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Loom.slnx above {source}.");
    }

    private static (int Exit, string Stdout, string Stderr) Loom(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "loom.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            throw new TimeoutException("loom train did not finish within 120 s");
        }

        return (process.ExitCode, stdout, stderr.Result);
    }
}
