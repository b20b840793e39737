// The settings of `loom train` for causal-LM pretraining from a text file, with the names (snake_case) used by config
// files and command-line flags. Defaults follow karpathy/nanoGPT's tiny-Shakespeare CPU recipe (README, "I only have a
// macbook"): 4 layers, 4 heads, 128 wide, block 64, batch 12, lr 1e-3 cosine to 1e-4, 2,000 iterations, dropout 0.
using System.Globalization;
using Loom.Kernels;

namespace Loom.Training.Recipes;

/// <summary>Causal-LM pretraining of a GPT-2-shaped model on a character vocabulary of a text file.</summary>
public sealed record ClmPretrainingConfig
{
    /// <summary>The setting names a config file or the command line may use.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "task", "text", "validation_fraction", "layers", "heads", "width", "block_size", "batch_size", "max_steps", "epochs",
        "gradient_accumulation", "learning_rate", "min_learning_rate", "warmup_steps", "schedule", "weight_decay", "beta1",
        "beta2", "grad_clip", "eval_every", "eval_batches", "save_every", "keep_last", "log_every", "seed", "threads",
        "output", "early_stopping_patience", "precision", "loss_scale",
    ];

    /// <summary>The training text (UTF-8); its last <see cref="ValidationFraction"/> is held out, as nanoGPT's prepare.py does.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Fraction of the text (its end) used for validation.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Channels C.</summary>
    public int Width { get; init; } = 128;

    /// <summary>Context length T.</summary>
    public int BlockSize { get; init; } = 64;

    /// <summary>Windows per micro-batch B.</summary>
    public int BatchSize { get; init; } = 12;

    /// <summary>Optimizer steps.</summary>
    public int MaxSteps { get; init; } = 2000;

    /// <summary>
    /// Passes over the training examples (0: run <see cref="MaxSteps"/>). When set it replaces max_steps: the run makes
    /// ⌈epochs × ⌈N / batch_size⌉ / gradient_accumulation⌉ optimizer steps and the schedule spans them. Recipes over
    /// examples only; random-window causal-LM pretraining has no epochs.
    /// </summary>
    public double Epochs { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate at the end of the cosine.</summary>
    public double MinLearningRate { get; init; } = 1e-4;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>cosine, linear or constant.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>AdamW decoupled weight decay (matrices only).</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (nanoGPT's shakespeare_char: 0.99).</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>Global gradient-norm clip (0: off).</summary>
    public float GradClip { get; init; } = 1f;

    /// <summary>Evaluate every this many steps (0: only at the end).</summary>
    public int EvalEvery { get; init; } = 250;

    /// <summary>Random validation windows (in batches of <see cref="BatchSize"/>) behind "eval_loss"; the same set every time.</summary>
    public int EvalBatches { get; init; } = 20;

    /// <summary>Checkpoint every this many steps (0: only best and last).</summary>
    public int SaveEvery { get; init; } = 500;

    /// <summary>Most recent checkpoints kept besides the best (0: all).</summary>
    public int KeepLast { get; init; } = 2;

    /// <summary>Log a line every this many steps.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Seed of the initialisation, the training windows and the validation windows.</summary>
    public ulong Seed { get; init; } = 1337;

    /// <summary>Kernel threads (0: all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Output folder for checkpoints, log and plot.</summary>
    public string Output { get; init; } = "runs/clm";

    /// <summary>Early stopping on eval_loss after this many evaluations without improvement (0: off).</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>
    /// Matmul operand precision: "f32" (default) or "bf16" (autocast: operands rounded to bfloat16, float32 arithmetic;
    /// not faster on this CPU — see the Trainer README).
    /// </summary>
    public GemmPrecision Precision { get; init; } = GemmPrecision.Float32;

    /// <summary>Initial scale of dynamic loss scaling (0: off; a power of two, e.g. 65536).</summary>
    public float LossScale { get; init; }

    /// <summary>The run's length as the settings give it: "2000 steps" or "3 epochs".</summary>
    public string Length => Epochs > 0d
        ? string.Create(CultureInfo.InvariantCulture, $"{Epochs} epoch{(Epochs == 1d ? string.Empty : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{MaxSteps} steps");

    /// <summary>
    /// Applies <paramref name="settings"/> (name → text, as read from a config file or flags) over the defaults. Throws
    /// <see cref="ArgumentException"/> naming the setting for an unknown name or a value that does not parse.
    /// </summary>
    public static ClmPretrainingConfig FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        RecipeSettings.RejectUnknown(settings, Names);
        RecipeSettings.RequireTask(settings, "causal-LM pretraining", "clm", "pretrain-clm");
        return FromSettings(settings, new ClmPretrainingConfig());
    }

    /// <summary>
    /// Applies the settings of <see cref="Names"/> found in <paramref name="settings"/> over <paramref name="defaults"/>
    /// (other names are left to the caller, which recipes built on these settings check themselves) and validates.
    /// </summary>
    public static ClmPretrainingConfig FromSettings(IReadOnlyDictionary<string, string> settings, ClmPretrainingConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(defaults);
        string Text(string name, string fallback) => RecipeSettings.Text(settings, name, fallback);
        T Number<T>(string name, T fallback) where T : IParsable<T> => RecipeSettings.Number(settings, name, fallback);
        var config = new ClmPretrainingConfig
        {
            Text = Text("text", defaults.Text),
            ValidationFraction = Number("validation_fraction", defaults.ValidationFraction),
            Layers = Number("layers", defaults.Layers),
            Heads = Number("heads", defaults.Heads),
            Width = Number("width", defaults.Width),
            BlockSize = Number("block_size", defaults.BlockSize),
            BatchSize = Number("batch_size", defaults.BatchSize),
            MaxSteps = Number("max_steps", defaults.MaxSteps),
            Epochs = Number("epochs", defaults.Epochs),
            GradientAccumulation = Number("gradient_accumulation", defaults.GradientAccumulation),
            LearningRate = Number("learning_rate", defaults.LearningRate),
            MinLearningRate = Number("min_learning_rate", defaults.MinLearningRate),
            WarmupSteps = Number("warmup_steps", defaults.WarmupSteps),
            Schedule = RecipeSettings.Choice(settings, "schedule", defaults.Schedule),
            WeightDecay = Number("weight_decay", defaults.WeightDecay),
            Beta1 = Number("beta1", defaults.Beta1),
            Beta2 = Number("beta2", defaults.Beta2),
            GradClip = Number("grad_clip", defaults.GradClip),
            EvalEvery = Number("eval_every", defaults.EvalEvery),
            EvalBatches = Number("eval_batches", defaults.EvalBatches),
            SaveEvery = Number("save_every", defaults.SaveEvery),
            KeepLast = Number("keep_last", defaults.KeepLast),
            LogEvery = Number("log_every", defaults.LogEvery),
            Seed = Number("seed", defaults.Seed),
            Threads = Number("threads", defaults.Threads),
            Output = Text("output", defaults.Output),
            EarlyStoppingPatience = Number("early_stopping_patience", defaults.EarlyStoppingPatience),
            Precision = Text("precision", string.Empty) switch
            {
                "" => defaults.Precision,
                "f32" or "float32" => GemmPrecision.Float32,
                "bf16" or "bfloat16" => GemmPrecision.BFloat16,
                var other => throw new ArgumentException($"Setting 'precision': expected f32 or bf16; found '{other}'."),
            },
            LossScale = Number("loss_scale", defaults.LossScale),
        };
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        void Check(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"Setting '{name}': expected {expected}; found {Convert.ToString(value, CultureInfo.InvariantCulture)}.");
            }
        }

        Check(Text.Length > 0, "text", "(empty)", "the path of a UTF-8 text file");
        Check(ValidationFraction is > 0d and < 1d, "validation_fraction", ValidationFraction, "a fraction in (0, 1)");
        Check(Layers > 0, "layers", Layers, "≥ 1");
        Check(Heads > 0 && Width > 0 && Width % Heads == 0, "width", Width, $"a positive multiple of heads ({Heads})");
        Check(BlockSize > 0, "block_size", BlockSize, "≥ 1");
        Check(BatchSize > 0, "batch_size", BatchSize, "≥ 1");
        Check(MaxSteps > 0, "max_steps", MaxSteps, "≥ 1");
        Check(Epochs >= 0d && double.IsFinite(Epochs), "epochs", Epochs, "≥ 0 (0: run max_steps)");
        Check(GradientAccumulation > 0, "gradient_accumulation", GradientAccumulation, "≥ 1");
        Check(LearningRate > 0d, "learning_rate", LearningRate, "> 0");
        Check(MinLearningRate >= 0d && MinLearningRate <= LearningRate, "min_learning_rate", MinLearningRate, $"in [0, learning_rate = {LearningRate}]");
        Check(WarmupSteps >= 0 && (Epochs > 0d || WarmupSteps <= MaxSteps), "warmup_steps", WarmupSteps, "in [0, max_steps]");
        Check(WeightDecay >= 0d, "weight_decay", WeightDecay, "≥ 0");
        Check(GradClip >= 0f, "grad_clip", GradClip, "≥ 0");
        Check(EvalEvery >= 0 && EvalBatches > 0, "eval_batches", EvalBatches, "≥ 1 (and eval_every ≥ 0)");
        Check(SaveEvery >= 0 && KeepLast >= 0 && LogEvery > 0, "save_every", SaveEvery, "save_every, keep_last ≥ 0 and log_every ≥ 1");
        Check(Threads >= 0, "threads", Threads, "≥ 0");
        Check(Output.Length > 0, "output", "(empty)", "a folder");
        Check(EarlyStoppingPatience >= 0, "early_stopping_patience", EarlyStoppingPatience, "≥ 0");
        Check(LossScale >= 0f && float.IsFinite(LossScale), "loss_scale", LossScale, "≥ 0 (0: no loss scaling)");
    }

    /// <summary>The Trainer settings these recipe settings give (schedule, optimizer, clipping, evaluation, checkpoints).</summary>
    public TrainerOptions ToTrainerOptions() => new()
    {
        MaxSteps = Epochs > 0d ? null : MaxSteps,
        Epochs = Epochs > 0d ? Epochs : null,
        GradientAccumulationSteps = GradientAccumulation,
        LearningRate = LearningRate,
        MinLearningRateFraction = MinLearningRate / LearningRate,
        WarmupSteps = WarmupSteps,
        Schedule = Schedule,
        WeightDecay = WeightDecay,
        Beta1 = Beta1,
        Beta2 = Beta2,
        MaxGradNorm = GradClip > 0f ? GradClip : null,
        LogEvery = LogEvery,
        EvalEvery = EvalEvery > 0 ? EvalEvery : int.MaxValue, // 0: only the last step's evaluation
        SaveEvery = SaveEvery,
        KeepLast = KeepLast,
        EarlyStopping = EarlyStoppingPatience > 0 ? new EarlyStoppingOptions { Patience = EarlyStoppingPatience } : null,
        OutputDirectory = Output,
        Precision = Precision,
        LossScaling = LossScale > 0f ? new LossScalingOptions { InitialScale = LossScale } : null,
    };
}
