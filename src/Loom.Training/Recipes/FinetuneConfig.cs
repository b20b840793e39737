// The settings of `loom train finetune classification | token-classification | qa | seq2seq`: fine-tuning a BERT with a
// task head on labelled data (CSV or JSONL; CMRC 2018 / SQuAD JSON for qa), or a BART / T5 on source → target pairs,
// starting from a pretrained folder (`model`: the output folder of `loom train pretrain mlm` or `pretrain seq2seq`, or
// any folder with config.json, vocab.json and model.safetensors) or from a fresh model of layers × heads × width. The
// optimiser, schedule, evaluation and checkpoint settings are the clm recipe's (same names and checks; epochs, when set,
// replace max_steps); block_size is the longest input in tokens, [CLS] and [SEP] included; qa splits longer passages
// into windows overlapping by doc_stride tokens. Defaults are fine-tuning ones: 300 steps of 32, AdamW 5e-4 with 10% linear warmup and linear decay, evaluation every 50 steps on the validation file
// (or on validation_fraction of the training file when there is none), the best checkpoint chosen by best_metric.
namespace Loom.Training.Recipes;

/// <summary>Fine-tuning of a BERT task head on labelled data.</summary>
public sealed record FinetuneConfig
{
    /// <summary>The setting names a config file or the command line may use.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        .. ClmPretrainingConfig.Names.Where(n => n != "text"), "train", "validation", "model", "text_field", "label_field",
        "best_metric", "max_answer_length", "doc_stride", "n_best_size",
    ];

    /// <summary>The task.</summary>
    public FinetuneTask Task { get; init; }

    /// <summary>The settings shared with pretraining; <c>Text</c> is the training file, <c>BlockSize</c> the longest input.</summary>
    public ClmPretrainingConfig Shared { get; init; } = DefaultShared(FinetuneTask.Classification);

    /// <summary>Validation file (empty: hold out <c>validation_fraction</c> of the training examples, seeded).</summary>
    public string Validation { get; init; } = string.Empty;

    /// <summary>Pretrained folder (empty: a fresh model with a character vocabulary of the training data).</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>CSV column or JSON field holding the text (classification), the list of words (token classification) or the source (seq2seq).</summary>
    public string TextField { get; init; } = "text";

    /// <summary>CSV column or JSON field holding the label (classification), the list of tags (token classification) or the target (seq2seq).</summary>
    public string LabelField { get; init; } = "label";

    /// <summary>Evaluation metric that picks the best checkpoint and drives early stopping (maximised unless it ends in "loss").</summary>
    public string BestMetric { get; init; } = "accuracy";

    /// <summary>Longest predicted answer in tokens (qa).</summary>
    public int MaxAnswerLength { get; init; } = 30;

    /// <summary>
    /// Tokens shared by consecutive windows of a passage too long for block_size (qa; HF run_qa.py's doc_stride). Default:
    /// a quarter of block_size.
    /// </summary>
    public int DocStride { get; init; } = 64;

    /// <summary>Start and end candidates per window considered for the answer (qa; HF run_qa.py's n_best_size).</summary>
    public int NBestSize { get; init; } = 20;

    /// <summary>The task's name on the command line and in config files.</summary>
    public static string TaskName(FinetuneTask task) => task switch
    {
        FinetuneTask.Classification => "finetune-classification",
        FinetuneTask.TokenClassification => "finetune-token-classification",
        FinetuneTask.QuestionAnswering => "finetune-qa",
        _ => "finetune-seq2seq",
    };

    /// <summary>The defaults of <paramref name="task"/>.</summary>
    public static FinetuneConfig Defaults(FinetuneTask task) => new()
    {
        Task = task,
        Shared = DefaultShared(task),
        TextField = task switch { FinetuneTask.TokenClassification => "tokens", FinetuneTask.Seq2Seq => "source", _ => "text" },
        LabelField = task switch { FinetuneTask.TokenClassification => "tags", FinetuneTask.Seq2Seq => "target", _ => "label" },
        BestMetric = task switch { FinetuneTask.Classification => "accuracy", FinetuneTask.Seq2Seq => "bleu", _ => "f1" },
    };

    /// <summary>
    /// Applies <paramref name="settings"/> (name → text, as read from a config file or flags) over the defaults of
    /// <paramref name="task"/>. Throws <see cref="ArgumentException"/> naming the setting for an unknown name, a value
    /// that does not parse or one out of range.
    /// </summary>
    public static FinetuneConfig FromSettings(FinetuneTask task, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var name = TaskName(task);
        RecipeSettings.RequireTask(settings, "fine-tuning", name, name["finetune-".Length..]);
        RecipeSettings.RejectUnknown(settings, [.. Names, "task"]);
        var defaults = Defaults(task);
        var train = RecipeSettings.Text(settings, "train", string.Empty);
        if (train.Length == 0)
        {
            throw new ArgumentException("Setting 'train': expected the path of the training data; found none.");
        }

        var shared = ClmPretrainingConfig.FromSettings(settings, defaults.Shared with { Text = train });
        var config = new FinetuneConfig
        {
            Task = task,
            Shared = shared,
            Validation = RecipeSettings.Text(settings, "validation", defaults.Validation),
            Model = RecipeSettings.Text(settings, "model", defaults.Model),
            TextField = RecipeSettings.Text(settings, "text_field", defaults.TextField),
            LabelField = RecipeSettings.Text(settings, "label_field", defaults.LabelField),
            BestMetric = RecipeSettings.Text(settings, "best_metric", defaults.BestMetric),
            MaxAnswerLength = RecipeSettings.Number(settings, "max_answer_length", defaults.MaxAnswerLength),
            DocStride = RecipeSettings.Number(settings, "doc_stride", shared.BlockSize / 4),
            NBestSize = RecipeSettings.Number(settings, "n_best_size", defaults.NBestSize),
        };
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Shared.Validate();
        if (Shared.BlockSize < 3)
        {
            throw new ArgumentException($"Setting 'block_size': expected ≥ 3 ([CLS], a token, [SEP]); found {Shared.BlockSize}.");
        }

        if (MaxAnswerLength < 1)
        {
            throw new ArgumentException($"Setting 'max_answer_length': expected ≥ 1; found {MaxAnswerLength}.");
        }

        var leastRoom = Shared.BlockSize - 3 - ((Shared.BlockSize - 3) / 2); // passage room beside the longest kept question
        if (Task == FinetuneTask.QuestionAnswering && (DocStride < 0 || DocStride >= leastRoom))
        {
            throw new ArgumentException($"Setting 'doc_stride': expected in [0, {leastRoom}) for block_size {Shared.BlockSize}; found {DocStride}.");
        }

        if (NBestSize < 1)
        {
            throw new ArgumentException($"Setting 'n_best_size': expected ≥ 1; found {NBestSize}.");
        }

        if (TextField.Length == 0 || LabelField.Length == 0)
        {
            throw new ArgumentException("Settings 'text_field' and 'label_field': expected a column or field name; found an empty one.");
        }
    }

    /// <summary>The Trainer settings: the shared ones, with the best checkpoint and early stopping on <see cref="BestMetric"/>.</summary>
    public TrainerOptions ToTrainerOptions() => Shared.ToTrainerOptions() with
    {
        BestMetric = BestMetric,
        BestMetricMode = BestMetric.EndsWith("loss", StringComparison.Ordinal) ? MetricMode.Min : MetricMode.Max,
    };

    private static ClmPretrainingConfig DefaultShared(FinetuneTask task) => new()
    {
        Output = "runs/" + TaskName(task),
        Layers = 2,
        Heads = 2,
        Width = 128,
        BlockSize = task == FinetuneTask.QuestionAnswering ? 256 : 128,
        BatchSize = 32,
        MaxSteps = 300,
        LearningRate = 5e-4,
        MinLearningRate = 0,
        WarmupSteps = 30,
        Schedule = ScheduleKind.Linear,
        WeightDecay = 0.01,
        Beta2 = 0.999,
        EvalEvery = 50,
        SaveEvery = 0,
        KeepLast = 1,
    };
}
