// `loom train [pretrain clm|mlm|seq2seq|glm | finetune classification|token-classification|qa|seq2seq] --config FILE.yaml|json [--<setting> value ...] [--output DIR]
// [--resume]`: causal-LM (GPT), masked-LM (BERT), denoising (BART / T5) or blank-infilling (GLM) pretraining from a text file, or fine-tuning a BERT task head on
// labelled data, with the Loom.Training Trainer. Every recipe setting can come from the config file or a
// flag (--block-size for block_size; flags win). Progress is a Spectre.Console bar with loss, tokens/s and ETA on a
// terminal, and one plain line per logged step otherwise (or with --plain). Ctrl+C saves a checkpoint and stops.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Loom.Kernels;
using Loom.Training;
using Loom.Training.Recipes;
using Spectre.Console;

namespace Loom.Cli.Commands;

/// <summary><c>loom train</c>.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var task = new Argument<string[]>("task") { Description = "What to train: 'pretrain clm' (the default), 'pretrain mlm', 'pretrain seq2seq', 'pretrain glm', 'finetune classification', 'finetune token-classification', 'finetune qa' or 'finetune seq2seq' (also from the config's 'task')", Arity = ArgumentArity.ZeroOrMore };
        var config = new Option<string?>("--config") { Description = "Settings file (.yaml, .yml or .json): setting: value per line" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the latest checkpoint in the output folder (exactly: weights, optimizer, data position, RNG)" };
        var plain = new Option<bool>("--plain") { Description = "Plain log lines instead of a progress bar" };
        var settings = MlmPretrainingConfig.Names.Concat(Seq2SeqPretrainingConfig.Names).Concat(GlmPretrainingConfig.Names).Concat(FinetuneConfig.Names).Where(n => n != "task").Distinct()
            .ToDictionary(n => n, n => new Option<string?>("--" + n.Replace('_', '-')) { Description = $"Setting '{n}' (overrides the config file)" });
        var command = new Command("train", "Train a model (causal-LM, masked-LM, denoising or GLM blank-infilling pretraining from a text file, fine-tuning a head on labelled data) with checkpoints, exact resume, JSONL log and SVG plot");
        command.Arguments.Add(task);
        command.Options.Add(config);
        command.Options.Add(resume);
        command.Options.Add(plain);
        foreach (var option in settings.Values)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                var values = parse.GetValue(config) is { } path ? TrainSettingsFile.Read(path) : new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (name, option) in settings)
                {
                    if (parse.GetValue(option) is { } value)
                    {
                        values[name] = value;
                    }
                }

                var words = parse.GetValue(task) ?? [];
                if (words.Length > 0)
                {
                    var named = string.Join("-", words);
                    values["task"] = named.StartsWith("pretrain-", StringComparison.Ordinal) ? named["pretrain-".Length..] : named;
                }

                var (resuming, plainLines) = (parse.GetValue(resume), parse.GetValue(plain));
                return (values.TryGetValue("task", out var taskName) ? taskName : "clm") switch
                {
                    "mlm" or "pretrain-mlm" => RunMlm(MlmPretrainingConfig.FromSettings(values), resuming, plainLines),
                    "seq2seq" or "pretrain-seq2seq" => RunSeq2Seq(Seq2SeqPretrainingConfig.FromSettings(values), resuming, plainLines),
                    "glm" or "pretrain-glm" => RunGlm(GlmPretrainingConfig.FromSettings(values), resuming, plainLines),
                    "finetune-classification" or "classification" => RunClassification(FinetuneConfig.FromSettings(FinetuneTask.Classification, values), resuming, plainLines),
                    "finetune-token-classification" or "token-classification" => RunTokenClassification(FinetuneConfig.FromSettings(FinetuneTask.TokenClassification, values), resuming, plainLines),
                    "finetune-qa" or "qa" => RunQuestionAnswering(FinetuneConfig.FromSettings(FinetuneTask.QuestionAnswering, values), resuming, plainLines),
                    "finetune-seq2seq" => RunSeq2SeqFinetuning(FinetuneConfig.FromSettings(FinetuneTask.Seq2Seq, values), resuming, plainLines),
                    "clm" or "pretrain-clm" => RunClm(ClmPretrainingConfig.FromSettings(values), resuming, plainLines),
                    var other => throw new ArgumentException($"Setting 'task': expected clm, mlm, seq2seq, glm, finetune-classification, finetune-token-classification, finetune-qa or finetune-seq2seq; found '{other}'."),
                };
            }
            catch (Exception e) when (e is ArgumentException or IOException or FormatException or TrainingDivergedException
                or Loom.Nn.StateDictException or InvalidDataException or Loom.Training.Data.DataFormatException or Loom.Models.ModelLoadException)
            {
                Console.Error.WriteLine($"loom train: {e.Message}");
                return e is TrainingDivergedException ? 3 : 2;
            }
        });
        return command;
    }

    private static int RunClm(ClmPretrainingConfig config, bool resume, bool plain)
    {
        UseThreads(config.Threads);
        var run = ClmPretraining.Create(config);
        return Run(run.Trainer, Header("clm", "GPT", config, run.TrainTokens, run.ValidationTokens, run.Vocabulary.Count, run.Model.Parameters), config, resume, plain);
    }

    private static int RunMlm(MlmPretrainingConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = MlmPretraining.Create(config);
        return Run(run.Trainer, Header("mlm", "BERT", config.Shared, run.TrainTokens, run.ValidationTokens, run.VocabSize, run.Model.Parameters), config.Shared, resume, plain);
    }

    private static int RunSeq2Seq(Seq2SeqPretrainingConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = Seq2SeqPretraining.Create(config);
        var architecture = string.Create(CultureInfo.InvariantCulture, $"{run.Model.Architecture} ({config.Objective.ToString().ToLowerInvariant()}, noise {config.NoiseDensity}, span {config.MeanSpanLength})");
        return Run(run.Trainer, Header("seq2seq", architecture, config.Shared, run.TrainTokens, run.ValidationTokens, run.Vocabulary.Count, run.Model.Parameters), config.Shared, resume, plain);
    }

    private static int RunGlm(GlmPretrainingConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = GlmPretraining.Create(config);
        var architecture = string.Create(CultureInfo.InvariantCulture, $"GLM (blank infilling, mask ratio {config.MaskRatio}, span {config.MeanSpanLength})");
        return Run(run.Trainer, Header("glm", architecture, config.Shared, run.TrainTokens, run.ValidationTokens, run.Vocabulary.Count, run.Model.Parameters), config.Shared, resume, plain);
    }

    private static int RunClassification(FinetuneConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = ClassificationFinetuning.Create(config);
        var header = FinetuneHeader(config, "BERT", run.TrainExamples, run.ValidationExamples, run.Labels, run.Start, run.Parameters, run.FreshParameters);
        return Run(run.Trainer, header, config.Shared, resume, plain);
    }

    private static int RunTokenClassification(FinetuneConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = TokenClassificationFinetuning.Create(config);
        var header = FinetuneHeader(config, "BERT", run.TrainExamples, run.ValidationExamples, run.Labels, run.Start, run.Parameters, run.FreshParameters);
        return Run(run.Trainer, header, config.Shared, resume, plain);
    }

    private static int RunQuestionAnswering(FinetuneConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = QuestionAnsweringFinetuning.Create(config);
        var header = FinetuneHeader(config, "BERT", run.TrainExamples, run.ValidationExamples, ["start", "end"], run.Start, run.Parameters, run.FreshParameters);
        return Run(run.Trainer, header, config.Shared, resume, plain);
    }

    private static int RunSeq2SeqFinetuning(FinetuneConfig config, bool resume, bool plain)
    {
        UseThreads(config.Shared.Threads);
        var run = Seq2SeqFinetuning.Create(config);
        var header = FinetuneHeader(config, run.Model.Architecture, run.TrainExamples, run.ValidationExamples, [], run.Start, run.Parameters, run.FreshParameters);
        return Run(run.Trainer, header, config.Shared, resume, plain);
    }

    private static string FinetuneHeader(FinetuneConfig config, string architecture, int trainExamples, int validationExamples, IReadOnlyList<string> labels, PretrainedStart start,
        IReadOnlyList<KeyValuePair<string, Loom.Core.Tensor>> parameters, IReadOnlyList<string> fresh)
    {
        var data = string.Create(CultureInfo.InvariantCulture,
            $"loom train {FinetuneConfig.TaskName(config.Task)}: {config.Shared.Text}: {trainExamples:N0} train / {validationExamples:N0} validation examples{(labels.Count > 0 ? ", labels " + string.Join(", ", labels) : string.Empty)}; ");
        var origin = config.Model.Length > 0 ? $"from {start.WeightsFile} ({fresh.Count} of {parameters.Count} tensors fresh: {string.Join(", ", fresh)})" : "fresh";
        return data + string.Create(CultureInfo.InvariantCulture,
            $"{architecture} {origin}, vocabulary {start.Vocabulary.Count}, {parameters.Sum(p => (long)p.Value.Count):N0} parameters; " +
            $"{config.Shared.Length} of {config.Shared.BatchSize}×≤{config.Shared.BlockSize}×{config.Shared.GradientAccumulation}; best {config.BestMetric}; threads {KernelOptions.DegreeOfParallelism}; output {config.Shared.Output}");
    }

    private static void UseThreads(int threads)
    {
        if (threads > 0)
        {
            KernelOptions.DegreeOfParallelism = threads;
        }
    }

    private static string Header(string task, string architecture, ClmPretrainingConfig config, int trainTokens, int validationTokens, int vocabulary,
        IEnumerable<KeyValuePair<string, Loom.Core.Tensor>> parameters) =>
        string.Create(CultureInfo.InvariantCulture,
            $"loom train {task}: {config.Text}: {trainTokens:N0} train / {validationTokens:N0} validation characters, vocabulary {vocabulary}; " +
            $"{architecture} L={config.Layers} H={config.Heads} C={config.Width} T={config.BlockSize}, {parameters.Sum(p => (long)p.Value.Count):N0} parameters; " +
            $"{config.Length} of {config.BatchSize}×{config.BlockSize}×{config.GradientAccumulation}; threads {KernelOptions.DegreeOfParallelism}; output {config.Output}");

    private static int Run<TBatch>(Trainer<TBatch> trainer, string header, ClmPretrainingConfig config, bool resume, bool plain)
    {
        Console.WriteLine(header);
        if (resume)
        {
            if (TrainerCheckpoint.Latest(config.Output) is null)
            {
                Console.WriteLine("No checkpoint to resume from: starting at step 0.");
            }
            else
            {
                Console.WriteLine($"Resumed at step {trainer.Resume(config.Output)}.");
            }
        }
        else if (TrainerCheckpoint.Latest(config.Output) is not null)
        {
            throw new ArgumentException($"'{config.Output}' already holds checkpoints: pass --resume to continue, or choose another --output.");
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var clock = Stopwatch.StartNew();
        TrainingResult result;
        try
        {
            result = plain || !AnsiConsole.Profile.Capabilities.Interactive
                ? TrainPlain(trainer, config.LogEvery, cancel.Token)
                : TrainWithBar(trainer, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Done: step {result.Step}/{trainer.MaxSteps}{(result.StoppedEarly ? " (early stop)" : string.Empty)} in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"last train loss {(result.Losses.Count > 0 ? result.Losses[^1] : double.NaN):F4}; best {trainer.Options.BestMetric} {result.BestMetric:F4} at step {result.BestStep}; " +
            $"log {Path.Combine(config.Output, Trainer<TBatch>.LogFileName)}, plot {Path.Combine(config.Output, Trainer<TBatch>.PlotFileName)}, " +
            $"checkpoints {string.Join(", ", TrainerCheckpoint.Steps(config.Output))}"));
        return 0;
    }

    private static TrainingResult TrainPlain<TBatch>(Trainer<TBatch> trainer, int logEvery, CancellationToken cancel)
    {
        trainer.Progress = new Reporter(p =>
        {
            if (p.Step % logEvery == 0 || p.Step == p.MaxSteps || p.Metrics is not null)
            {
                Console.WriteLine(Line(p));
            }
        });
        return trainer.Train(cancel);
    }

    private static TrainingResult TrainWithBar<TBatch>(Trainer<TBatch> trainer, CancellationToken cancel)
    {
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var bar = context.AddTask("training", maxValue: trainer.MaxSteps);
                bar.Value = trainer.Step;
                trainer.Progress = new Reporter(p =>
                {
                    bar.Value = p.Step;
                    bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"step {p.Step}/{p.MaxSteps} loss {p.Loss:F4} lr {p.LearningRate:0.00e+0} {p.TokensPerSecond:N0} tok/s ETA {p.Eta:hh\\:mm\\:ss}"));
                    if (p.Metrics is not null)
                    {
                        AnsiConsole.MarkupLine(Markup.Escape(Line(p)));
                    }
                });
                result = trainer.Train(cancel);
            });
        return result!;
    }

    private static string Line(TrainingProgress p)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step,6}/{p.MaxSteps}  loss {p.Loss:F4}  lr {p.LearningRate:0.00e+0}  grad-norm {p.GradNorm:F3}  {p.TokensPerSecond,8:N0} tok/s  elapsed {p.Elapsed:hh\\:mm\\:ss}  ETA {p.Eta:hh\\:mm\\:ss}");
        return p.Metrics is null ? line
            : line + "  " + string.Join("  ", p.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}")));
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
