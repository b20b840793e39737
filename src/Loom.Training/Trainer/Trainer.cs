// The training loop of a Hugging Face Trainer / nanoGPT train.py, reduced to what a CPU run needs: AdamW (no decay on
// biases and norm weights) under a warmup + cosine/linear schedule, gradient accumulation, global-norm clipping,
// periodic evaluation with metric callbacks, best-checkpoint tracking, early stopping, checkpoint rotation, exact
// resume, and optional bfloat16 autocast with dynamic loss scaling (torch.autocast + GradScaler). Determinism: given the same model initialisation, data source seed and options, every loss and every weight
// bit is the same whether or not the run was interrupted and resumed.
using System.Diagnostics;
using Loom.Core;
using Loom.Nn;

namespace Loom.Training;

/// <summary>Trains an <see cref="ITrainableModel{TBatch}"/> on an <see cref="IBatchSource{TBatch}"/>.</summary>
/// <typeparam name="TBatch">The batch type.</typeparam>
public sealed class Trainer<TBatch>
{
    /// <summary>The JSONL log's file name in the output folder.</summary>
    public const string LogFileName = "log.jsonl";

    /// <summary>The SVG plot's file name in the output folder.</summary>
    public const string PlotFileName = "plot.svg";

    private readonly ITrainableModel<TBatch> _model;
    private readonly IBatchSource<TBatch> _source;
    private readonly IReadOnlyList<TBatch> _evalBatches;
    private readonly BestMetricTracker _tracker;
    private readonly LrSchedule _schedule;
    private readonly DynamicLossScaler? _scaler;
    private long _tokensSeen;

    /// <summary>
    /// Creates the trainer and its AdamW optimizer. <paramref name="evalBatches"/> (may be empty) give "eval_loss" at
    /// every evaluation; <see cref="MetricCallbacks"/> add more metrics.
    /// </summary>
    public Trainer(ITrainableModel<TBatch> model, IBatchSource<TBatch> source, TrainerOptions options, IReadOnlyList<TBatch>? evalBatches = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        (_model, _source, Options, _evalBatches) = (model, source, options, evalBatches ?? []);
        Validate(options);
        MaxSteps = ResolveMaxSteps(options, source);
        var parameters = model.Parameters.Select(p => p.Value).ToList();
        if (parameters.Count == 0)
        {
            throw new ArgumentException("Trainer: the model has no parameters.", nameof(model));
        }

        Optimizer = new AdamW(ParameterGroup.DecayMatricesOnly(parameters, options.WeightDecay), options.LearningRate,
            options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
        _schedule = options.Schedule switch
        {
            ScheduleKind.Linear => LrSchedule.LinearWarmupLinearDecay(options.WarmupSteps, MaxSteps),
            ScheduleKind.Cosine => LrSchedule.WarmupCosine(options.WarmupSteps, MaxSteps, options.MinLearningRateFraction),
            _ => LrSchedule.WarmupCosine(options.WarmupSteps, MaxSteps, cycles: 0d), // cos(0) = 1 after warmup
        };
        _tracker = new BestMetricTracker(options.BestMetricMode, options.EarlyStopping?.MinDelta ?? 0d);
        _scaler = options.LossScaling is { } scaling ? new DynamicLossScaler(scaling) : null;
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The optimizer (AdamW over two groups: decayed matrices, undecayed vectors).</summary>
    public AdamW Optimizer { get; }

    /// <summary>Optimizer steps of the whole run.</summary>
    public int MaxSteps { get; }

    /// <summary>Completed optimizer steps.</summary>
    public int Step { get; private set; }

    /// <summary>Receives a report after every step (on the training thread).</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Extra metrics computed at each evaluation (the model is in eval mode, gradients off); argument: the step.</summary>
    public IList<Func<int, IReadOnlyDictionary<string, double>>> MetricCallbacks { get; } = [];

    /// <summary>The tracker of the best-checkpoint metric.</summary>
    public BestMetricTracker Best => _tracker;

    /// <summary>The loss scaler's state (null without <see cref="TrainerOptions.LossScaling"/>).</summary>
    public LossScalerState? LossScaler => _scaler?.State;

    /// <summary>
    /// Restores weights, optimizer, step, generators, data position and best-metric state from a checkpoint folder, or
    /// from the latest checkpoint when <paramref name="path"/> is an output folder; the output folder's log is cut back
    /// to that step. Returns the restored step.
    /// </summary>
    public int Resume(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = File.Exists(Path.Combine(path, "trainer_state.json")) ? path
            : TrainerCheckpoint.Latest(path) ?? throw new DirectoryNotFoundException($"Resume: '{path}' holds no {TrainerCheckpoint.Prefix}<step> folder.");
        var state = TrainerCheckpoint.Load(folder, _model.Parameters);
        Optimizer.ImportState(state.Optimizer, _model.Parameters);
        _model.Generator.State = state.ModelGenerator;
        _source.Restore(state.Data);
        _tracker.Restore(state.BestMetric, state.BestStep, state.EvaluationsWithoutImprovement);
        (Step, _tokensSeen) = (state.Step, state.TokensSeen);
        if (_scaler is not null)
        {
            _scaler.State = state.LossScaler ?? throw new InvalidDataException($"Resume: '{folder}' was saved without loss scaling; this run has it (TrainerOptions.LossScaling).");
        }

        if (Options.OutputDirectory is { } output)
        {
            TrainingLog.TruncateAfter(Path.Combine(output, LogFileName), Step);
        }

        return Step;
    }

    /// <summary>
    /// Runs until <see cref="MaxSteps"/>, early stopping or cancellation (which saves a checkpoint at the last
    /// completed step when there is an output folder). Throws <see cref="TrainingDivergedException"/> on a non-finite
    /// loss, gradient or parameter (with loss scaling, a non-finite gradient skips the step and backs the scale off). The model is in training mode (dropout on) for every step and is left in eval mode.
    /// </summary>
    public TrainingResult Train(CancellationToken cancellationToken = default)
    {
        try
        {
            return RunSteps(cancellationToken);
        }
        finally
        {
            _model.Training = false;
        }
    }

    private TrainingResult RunSteps(CancellationToken cancellationToken)
    {
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        var (startStep, tokensThisRun) = (Step, 0L);
        var accumulation = Options.GradientAccumulationSteps;
        var stoppedEarly = false;
        var parameters = _model.Parameters;
        while (Step < MaxSteps && !stoppedEarly)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint();
                break;
            }

            var stepNumber = Step + 1;
            _schedule.Apply(Optimizer, Options.LearningRate, Step);
            Optimizer.ZeroGrad(releaseBuffers: true); // nothing here keeps an old gradient
            _model.Training = true;
            var lossSum = 0d;
            var stepTokens = 0L;
            for (var micro = 0; micro < accumulation; micro++)
            {
                var batch = _source.Next();
                stepTokens += _source.TokenCount(batch);
                using (Tensor.Autocast(Options.Precision))
                {
                    var loss = _model.Loss(batch);
                    var value = loss.Item();
                    if (!float.IsFinite(value))
                    {
                        throw new TrainingDivergedException(stepNumber, "loss", value);
                    }

                    lossSum += value;
                    var factor = (_scaler?.Scale ?? 1f) * (1f / accumulation);
                    (factor == 1f ? loss : loss * factor).Backward(releaseGraph: true); // only the loss value is kept
                }
            }

            double? gradNorm = null;
            if (_scaler?.UnscaleOrSkip(stepNumber, parameters) ?? true)
            {
                CheckFinite(stepNumber, parameters, gradients: true);
                gradNorm = Options.MaxGradNorm is { } maxNorm ? GradientClipping.ClipGlobalNorm(parameters.Select(p => p.Value), maxNorm) : null;
                Optimizer.Step();
                CheckFinite(stepNumber, parameters, gradients: false);
            }

            Step = stepNumber;
            _tokensSeen += stepTokens;
            tokensThisRun += stepTokens;
            var stepLoss = lossSum / accumulation;
            losses.Add(stepLoss);
            var elapsed = clock.Elapsed;
            var tokensPerSecond = tokensThisRun / Math.Max(elapsed.TotalSeconds, 1e-9);
            var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / (Step - startStep) * (MaxSteps - Step));
            var last = Step == MaxSteps;
            if (Step % Options.LogEvery == 0 || last)
            {
                var values = new Dictionary<string, double>
                {
                    ["loss"] = stepLoss,
                    ["lr"] = Optimizer.LearningRate,
                    ["grad_norm"] = gradNorm ?? double.NaN,
                    ["tokens_per_second"] = tokensPerSecond,
                    ["elapsed_s"] = elapsed.TotalSeconds,
                };
                if (_scaler?.State is { } scaler)
                {
                    values["loss_scale"] = scaler.Scale;
                    values["skipped_steps"] = scaler.SkippedSteps;
                }

                Log(new LogRecord("train", Step, values));
            }

            IReadOnlyDictionary<string, double>? metrics = null;
            var improved = false;
            if (Options.EvalEvery > 0 && (Step % Options.EvalEvery == 0 || last))
            {
                metrics = Evaluate();
                Log(new LogRecord("eval", Step, metrics));
                if (metrics.TryGetValue(Options.BestMetric, out var tracked))
                {
                    improved = _tracker.Update(Step, tracked);
                    stoppedEarly = Options.EarlyStopping is { } early && _tracker.EvaluationsWithoutImprovement >= early.Patience && !last;
                }
                else if (Options.EarlyStopping is not null || Options.SaveEvery > 0)
                {
                    throw new InvalidOperationException($"Trainer: the evaluation produced no '{Options.BestMetric}' (found {string.Join(", ", metrics.Keys.Select(k => $"'{k}'"))}); set BestMetric to one of them.");
                }
            }

            if (improved || last || stoppedEarly || (Options.SaveEvery > 0 && Step % Options.SaveEvery == 0))
            {
                SaveCheckpoint();
            }

            Progress?.Report(new TrainingProgress(Step, MaxSteps, stepLoss, Optimizer.LearningRate, gradNorm, tokensPerSecond, elapsed, eta, metrics));
        }

        return new TrainingResult(Step, stoppedEarly, _tracker.Best, _tracker.BestStep, losses);
    }

    /// <summary>
    /// Runs every evaluation: "eval_loss" (mean loss over the evaluation batches, when there are any) and each metric
    /// callback, in eval mode without gradients and with the training precision; the model is back in its previous mode afterwards.
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var wasTraining = _model.Training;
        _model.Training = false;
        try
        {
            using (Tensor.NoGrad())
            using (Tensor.Autocast(Options.Precision))
            {
                if (_evalBatches.Count > 0)
                {
                    metrics["eval_loss"] = _evalBatches.Average(b => (double)_model.Loss(b).Item());
                }

                foreach (var callback in MetricCallbacks)
                {
                    foreach (var (name, value) in callback(Step))
                    {
                        metrics[name] = value;
                    }
                }
            }
        }
        finally
        {
            _model.Training = wasTraining;
        }

        return metrics;
    }

    private void SaveCheckpoint()
    {
        if (Options.OutputDirectory is not { } output)
        {
            return;
        }

        var state = new TrainerState(Step, Optimizer.ExportState(_model.Parameters), _model.Generator.State, _source.State,
            _tracker.Best, _tracker.BestStep, _tracker.EvaluationsWithoutImprovement, _tokensSeen, _scaler?.State);
        TrainerCheckpoint.Save(output, _model.Parameters, state);
        TrainerCheckpoint.Prune(output, Options.KeepLast, _tracker.BestStep);
        TrainingPlot.Save(TrainingLog.Read(Path.Combine(output, LogFileName)), Path.Combine(output, PlotFileName));
    }

    private void Log(LogRecord record)
    {
        if (Options.OutputDirectory is { } output)
        {
            Directory.CreateDirectory(output);
            TrainingLog.Append(Path.Combine(output, LogFileName), record);
        }
    }

    private static void CheckFinite(int step, IReadOnlyList<KeyValuePair<string, Tensor>> parameters, bool gradients)
    {
        foreach (var (name, parameter) in parameters)
        {
            var tensor = gradients ? parameter.Grad : parameter;
            if (tensor is null)
            {
                continue;
            }

            var values = tensor.Contiguous().AsSpan();
            // Any NaN or ±∞ element makes the sum non-finite; only then (or on overflow) scan for the culprit.
            if (float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(values)))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (!float.IsFinite(value))
                {
                    throw new TrainingDivergedException(step, gradients ? $"the gradient of '{name}'" : $"parameter '{name}'", value);
                }
            }
        }
    }

    private static void Validate(TrainerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.GradientAccumulationSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.LogEvery);
        ArgumentOutOfRangeException.ThrowIfNegative(options.EvalEvery);
        ArgumentOutOfRangeException.ThrowIfNegative(options.SaveEvery);
        ArgumentOutOfRangeException.ThrowIfNegative(options.KeepLast);
        ArgumentOutOfRangeException.ThrowIfNegative(options.WarmupSteps);
        if (options.EarlyStopping is { Patience: < 1 })
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Trainer: early-stopping patience must be at least 1.");
        }

        if (options.EarlyStopping is not null && options.EvalEvery == 0)
        {
            throw new ArgumentException("Trainer: early stopping needs evaluations (EvalEvery > 0).", nameof(options));
        }
    }

    private static int ResolveMaxSteps(TrainerOptions options, IBatchSource<TBatch> source)
    {
        if (options.MaxSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
            return steps;
        }

        if (options.Epochs is not { } epochs || epochs <= 0d)
        {
            throw new ArgumentException("Trainer: set MaxSteps, or Epochs > 0 with a source that has epochs.", nameof(options));
        }

        var perEpoch = source.BatchesPerEpoch ?? throw new ArgumentException("Trainer: Epochs needs a source with epochs; this one samples random windows — set MaxSteps.", nameof(options));
        return Math.Max(1, (int)Math.Ceiling(epochs * perEpoch / options.GradientAccumulationSteps));
    }
}
