using Loom.Kernels;

namespace Loom.Training;

/// <summary>Everything that shapes a <see cref="Trainer{TBatch}"/> run. Counts are optimizer steps unless noted.</summary>
public sealed record TrainerOptions
{
    /// <summary>Optimizer steps to run (takes precedence over <see cref="Epochs"/>).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Passes over the data (needs a source with epochs); used when <see cref="MaxSteps"/> is null.</summary>
    public double? Epochs { get; init; }

    /// <summary>Micro-batches whose gradients are summed (each loss scaled by 1/N) before one optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate of AdamW.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay on matrices and embeddings (rank ≥ 2); biases and norm weights get none.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW ε.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>Schedule after warmup.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Cosine floor as a fraction of <see cref="LearningRate"/> (nanoGPT: min_lr / learning_rate).</summary>
    public double MinLearningRateFraction { get; init; }

    /// <summary>
    /// Operand precision of the matrix products in forward, backward and evaluation (<see cref="Loom.Core.Tensor.Autocast"/>):
    /// float32 (the default), or bfloat16 autocast — operands rounded to bfloat16, float32 products and sums, float32
    /// master weights, norms, softmax and loss. On this CPU bfloat16 is not faster (no bfloat16 arithmetic from .NET);
    /// see the Trainer README for the measurements.
    /// </summary>
    public GemmPrecision Precision { get; init; } = GemmPrecision.Float32;

    /// <summary>Dynamic loss scaling (null: off). Optional with bfloat16 — see <see cref="LossScalingOptions"/>.</summary>
    public LossScalingOptions? LossScaling { get; init; }

    /// <summary>Global gradient-norm clip (null: no clipping).</summary>
    public float? MaxGradNorm { get; init; } = 1f;

    /// <summary>Log a training line every this many steps (and at the last step).</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>Evaluate every this many steps and at the last step (0: never).</summary>
    public int EvalEvery { get; init; }

    /// <summary>Save a checkpoint every this many steps (0: only best, early stop and the last step).</summary>
    public int SaveEvery { get; init; }

    /// <summary>How many most recent checkpoints to keep besides the best one (0: keep all).</summary>
    public int KeepLast { get; init; }

    /// <summary>The evaluation metric that picks the best checkpoint and drives early stopping.</summary>
    public string BestMetric { get; init; } = "eval_loss";

    /// <summary>Whether <see cref="BestMetric"/> improves downwards or upwards.</summary>
    public MetricMode BestMetricMode { get; init; } = MetricMode.Min;

    /// <summary>Early stopping on <see cref="BestMetric"/> (null: off).</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>Folder for checkpoints, the JSONL log and the SVG plot (null: keep nothing on disk).</summary>
    public string? OutputDirectory { get; init; }
}
