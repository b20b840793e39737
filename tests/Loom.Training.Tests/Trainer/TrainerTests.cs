using System.Text.Json;
using System.Xml.Linq;
using Loom.Core;

namespace Loom.Training.Tests.Trainer;

/// <summary>The trainer's loop: overfitting, accumulation, early stopping, retention, divergence errors, logs and plots.</summary>
public sealed class TrainerTests
{
    private static LmBatch OneBatch() => new RandomWindowSource(TinyLm.Stream(64), batchSize: 4, blockSize: 8, seed: 3).Next();

    [Fact]
    public void A_tiny_model_overfits_one_batch_to_near_zero_loss()
    {
        var model = new TinyLm(seed: 1);
        // Arbitrary targets for distinct (token, position) pairs, so zero loss is reachable by memorisation alone.
        var rng = new Generator(9);
        var inputs = IntTensor.FromArray([.. Enumerable.Range(0, 32).Select(i => ((i / 8) + (i % 8)) % 8)], 4, 8);
        var targets = IntTensor.FromArray([.. Enumerable.Range(0, 32).Select(_ => rng.NextInt(8))], 4, 8);
        var trainer = new Trainer<LmBatch>(model.AsTrainable(), new FixedBatchSource(new LmBatch(inputs, targets)),
            new TrainerOptions { MaxSteps = 300, LearningRate = 0.03, WeightDecay = 0d, Schedule = ScheduleKind.Constant });
        var result = trainer.Train();
        Assert.True(result.Losses[0] > 1.5, $"initial loss {result.Losses[0]} should be near ln 8 ≈ 2.08");
        Assert.True(result.Losses[^1] < 0.01, $"final loss {result.Losses[^1]}");
    }

    [Fact]
    public void Accumulating_two_half_batches_matches_one_full_batch()
    {
        var full = OneBatch();
        LmBatch Half(int start) => new(
            IntTensor.FromArray(full.Inputs.ToArray()[(start * 8)..((start + 2) * 8)], 2, 8),
            IntTensor.FromArray(full.Targets.ToArray()[(start * 8)..((start + 2) * 8)], 2, 8));
        var options = new TrainerOptions { MaxSteps = 3, LearningRate = 0.01 };
        var whole = new TinyLm(seed: 2);
        new Trainer<LmBatch>(whole.AsTrainable(), new FixedBatchSource(full), options).Train();
        var split = new TinyLm(seed: 2);
        new Trainer<LmBatch>(split.AsTrainable(), new AlternatingSource(Half(0), Half(2)), options with { GradientAccumulationSteps = 2 }).Train();
        var (a, b) = (whole.Weights.Parameters.SelectMany(p => p.Value.ToArray()).ToArray(), split.Weights.Parameters.SelectMany(p => p.Value.ToArray()).ToArray());
        Assert.Equal(a.Length, b.Length);
        Assert.All(a.Zip(b), pair => Assert.Equal(pair.First, pair.Second, 1e-6f));
        Assert.NotEqual(new TinyLm(seed: 2).Weights.Parameters[0].Value.ToArray(), a[..128]); // it did train
    }

    [Fact]
    public void Epochs_set_the_step_count_from_the_batches_per_epoch()
    {
        var source = new ShuffledBatchSource<int, LmBatch>([.. Enumerable.Range(0, 10)], 3, 1, (_, _) => OneBatch(), b => b.Inputs.Count);
        var trainer = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), source,
            new TrainerOptions { Epochs = 2, GradientAccumulationSteps = 2 });
        Assert.Equal(4, trainer.MaxSteps); // ⌈2 · ⌈10/3⌉ / 2⌉
        Assert.Equal(4, trainer.Train().Step);
    }

    [Theory]
    [InlineData(10, 3, 2)] // 10 = 3 + 3 + 3 + 1: a short last batch
    [InlineData(12, 4, 3)] // whole batches
    [InlineData(5, 8, 2)] // one batch smaller than batch_size per epoch
    public void An_epoch_run_makes_ceil_n_over_b_steps_per_epoch_and_shows_every_example_once_per_epoch(int examples, int batchSize, int epochs)
    {
        var seen = new List<int[]>();
        var batch = OneBatch();
        var source = new ShuffledBatchSource<int, LmBatch>([.. Enumerable.Range(0, examples)], batchSize, seed: 5, (items, _) =>
        {
            seen.Add([.. items]);
            return batch;
        }, b => b.Inputs.Count);
        var trainer = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), source, new TrainerOptions { Epochs = epochs });
        var stepsPerEpoch = (examples + batchSize - 1) / batchSize;
        Assert.Equal(stepsPerEpoch * epochs, trainer.MaxSteps);
        Assert.Equal(stepsPerEpoch * epochs, trainer.Train().Step);
        Assert.Equal(stepsPerEpoch * epochs, seen.Count);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var batches = seen.Skip(epoch * stepsPerEpoch).Take(stepsPerEpoch).ToList();
            Assert.Equal(Enumerable.Range(0, examples), batches.SelectMany(b => b).Order()); // each example exactly once
            Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b.Length));
            Assert.Equal(examples - ((stepsPerEpoch - 1) * batchSize), batches[^1].Length);
        }
    }

    [Fact]
    public void Early_stopping_stops_after_patience_evaluations_without_improvement()
    {
        double[] scores = [5, 4, 3, 3.5, 3.2, 3.1, 2.0, 1.0];
        var trainer = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), new FixedBatchSource(OneBatch()), new TrainerOptions
        {
            MaxSteps = 8,
            EvalEvery = 1,
            BestMetric = "score",
            EarlyStopping = new EarlyStoppingOptions { Patience = 3 },
        });
        trainer.MetricCallbacks.Add(step => new Dictionary<string, double> { ["score"] = scores[step - 1] });
        var result = trainer.Train();
        Assert.True(result.StoppedEarly);
        Assert.Equal(6, result.Step); // best at 3, then 3.5, 3.2, 3.1 do not improve
        Assert.Equal(3, result.BestStep);
        Assert.Equal(3d, result.BestMetric);
    }

    [Fact]
    public void Max_mode_and_min_delta_decide_what_counts_as_improvement()
    {
        var tracker = new BestMetricTracker(MetricMode.Max, minDelta: 0.05);
        Assert.True(tracker.Update(1, 0.5));
        Assert.False(tracker.Update(2, 0.54)); // not more than 0.05 better
        Assert.True(tracker.Update(3, 0.6));
        Assert.Equal((0.6, 3, 0), (tracker.Best!.Value, tracker.BestStep!.Value, tracker.EvaluationsWithoutImprovement));
    }

    [Fact]
    public void Retention_keeps_the_last_checkpoints_and_the_best_one()
    {
        using var folder = new TempFolder();
        var scores = new Dictionary<int, double> { [2] = 0.5, [4] = 0.1, [6] = 0.3, [8] = 0.4, [10] = 0.35, [12] = 0.2 };
        var trainer = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), new FixedBatchSource(OneBatch()), new TrainerOptions
        {
            MaxSteps = 12,
            EvalEvery = 2,
            SaveEvery = 2,
            KeepLast = 2,
            BestMetric = "score",
            OutputDirectory = folder.Path,
        });
        trainer.MetricCallbacks.Add(step => new Dictionary<string, double> { ["score"] = scores[step] });
        trainer.Train();
        Assert.Equal([4, 10, 12], TrainerCheckpoint.Steps(folder.Path));
        Assert.Equal(["checkpoint-10", "checkpoint-12", "checkpoint-4"],
            Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_half_written_checkpoint_is_ignored_on_resume_and_cleaned_up()
    {
        using var folder = new TempFolder();
        var options = new TrainerOptions { MaxSteps = 4, SaveEvery = 2, OutputDirectory = folder.Path };
        new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), new FixedBatchSource(OneBatch()), options).Train();
        var partial = Directory.CreateDirectory(folder.Sub(".tmp-checkpoint-6-123-abc")).FullName;
        File.WriteAllText(Path.Combine(partial, "model.safetensors"), "torn");
        var resumed = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), new FixedBatchSource(OneBatch()), options with { MaxSteps = 6 });
        Assert.Equal(4, resumed.Resume(folder.Path));
        resumed.Train();
        Assert.False(Directory.Exists(partial));
        Assert.Equal([2, 4, 6], TrainerCheckpoint.Steps(folder.Path));
    }

    [Fact]
    public void A_nan_loss_stops_with_the_step_and_the_loss_named()
    {
        var model = new TinyLm(seed: 1);
        var calls = 0;
        var trainable = model.AsTrainable(batch => ++calls == 3 ? model.Loss(batch) * float.NaN : model.Loss(batch));
        var trainer = new Trainer<LmBatch>(trainable, new FixedBatchSource(OneBatch()), new TrainerOptions { MaxSteps = 5 });
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Equal(3, error.Step);
        Assert.Equal("loss", error.TensorName);
        Assert.StartsWith("Training diverged at step 3: loss holds NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_gradient_is_named_by_its_parameter_before_any_update()
    {
        var model = new TinyLm(seed: 1);
        var head = model.Weights.Parameters.Single(p => p.Key == "head.bias").Value;
        var calls = 0;
        // √(0·b) is 0 forward but has an infinite derivative, and ·0 turns it into NaN: the loss stays finite.
        var trainable = model.AsTrainable(batch => ++calls == 2 ? model.Loss(batch) + ((head * 0f).Sqrt() * 0f).Sum() : model.Loss(batch));
        var trainer = new Trainer<LmBatch>(trainable, new FixedBatchSource(OneBatch()), new TrainerOptions { MaxSteps = 5 });
        var before = head.ToArray();
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Equal(2, error.Step);
        Assert.Equal("the gradient of 'head.bias'", error.TensorName);
        Assert.Contains("step 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, trainer.Step);
        Assert.NotEqual(before, head.ToArray()); // step 1 updated it…
        Assert.All(head.ToArray(), v => Assert.True(float.IsFinite(v))); // …step 2 did not poison it
    }

    [Fact]
    public void The_jsonl_log_has_one_parsable_line_per_logged_step_and_evaluation_and_the_plot_is_xml()
    {
        using var folder = new TempFolder();
        var trainer = new Trainer<LmBatch>(new TinyLm(seed: 1).AsTrainable(), new FixedBatchSource(OneBatch()), new TrainerOptions
        {
            MaxSteps = 10,
            LogEvery = 3,
            EvalEvery = 5,
            OutputDirectory = folder.Path,
        }, [OneBatch()]);
        trainer.MetricCallbacks.Add(step => new Dictionary<string, double> { ["accuracy"] = step / 10d });
        trainer.Train();
        var lines = File.ReadAllLines(folder.Sub("log.jsonl"));
        var parsed = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["train 3", "eval 5", "train 6", "train 9", "train 10", "eval 10"],
            parsed.Select(e => $"{e.GetProperty("kind").GetString()} {e.GetProperty("step").GetInt32()}"));
        Assert.All(parsed.Where(e => e.GetProperty("kind").GetString() == "train"), e =>
        {
            Assert.True(e.GetProperty("loss").GetDouble() > 0);
            Assert.True(e.GetProperty("lr").GetDouble() > 0);
            Assert.True(e.GetProperty("tokens_per_second").GetDouble() > 0);
        });
        Assert.Equal(0.5, parsed.First(e => e.GetProperty("kind").GetString() == "eval").GetProperty("accuracy").GetDouble());

        var svg = XDocument.Parse(File.ReadAllText(folder.Sub("plot.svg")));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var titles = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("loss", titles);
        Assert.Contains("learning rate", titles);
        Assert.Contains("accuracy", titles);
        Assert.Contains("eval_loss", titles);
        Assert.Equal(2, svg.Descendants(ns + "polyline").Count(p => p.Parent!.Elements(ns + "text").First().Value == "loss"));
    }

    private sealed class AlternatingSource(LmBatch a, LmBatch b) : IBatchSource<LmBatch>
    {
        private int _next;

        public int? BatchesPerEpoch => 2;

        public BatchSourceState State => new(null, null);

        public LmBatch Next() => _next++ % 2 == 0 ? a : b;

        public long TokenCount(LmBatch batch) => batch.Inputs.Count;

        public void Restore(BatchSourceState state)
        {
        }
    }
}
