using System.Globalization;
using Loom.Core;
using Loom.Kernels;

namespace Loom.Training.Tests.Trainer;

/// <summary>
/// bfloat16 autocast and dynamic loss scaling in the trainer: the scaler's update rule, skipped steps, exact resume with
/// the scaler's state, and a tiny model that trains as well in bfloat16 as in float32.
/// </summary>
public sealed class MixedPrecisionTests
{
    private static readonly LossScalingOptions Scaling = new() { InitialScale = 1024f, GrowthInterval = 3 };

    [Fact]
    public void An_overflow_skips_the_step_and_halves_the_scale()
    {
        var (parameters, grad) = OneParameter([1f, float.PositiveInfinity, 3f]);
        var scaler = new DynamicLossScaler(Scaling);
        Assert.False(scaler.UnscaleOrSkip(1, parameters));
        Assert.Equal(new LossScalerState(512f, 0, 1), scaler.State);
        Assert.Equal([1f, float.PositiveInfinity, 3f], grad.ToArray()); // left for the caller to discard
    }

    [Fact]
    public void Finite_gradients_are_unscaled_and_the_scale_grows_after_the_interval()
    {
        var scaler = new DynamicLossScaler(Scaling);
        for (var step = 1; step <= 3; step++)
        {
            var (parameters, grad) = OneParameter([1024f, -3f, 0.5f]);
            Assert.True(scaler.UnscaleOrSkip(step, parameters));
            Assert.Equal([1f, -3f / 1024f, 0.5f / 1024f], parameters[0].Value.Grad!.ToArray());
            Assert.Equal(step < 3 ? new LossScalerState(1024f, step, 0) : new LossScalerState(2048f, 0, 0), scaler.State);
        }
    }

    [Fact]
    public void A_non_finite_gradient_at_the_minimum_scale_stops_the_run()
    {
        var scaler = new DynamicLossScaler(Scaling with { InitialScale = 1f });
        var (parameters, _) = OneParameter([float.NaN]);
        var error = Assert.Throws<TrainingDivergedException>(() => scaler.UnscaleOrSkip(7, parameters));
        Assert.Equal(7, error.Step);
        Assert.Contains("'w'", error.TensorName, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trainer_skips_an_overflowing_step_without_touching_the_weights()
    {
        var model = new TinyLm(seed: 3);
        Trainer<LmBatch>? trainer = null;
        // Step 4's loss is multiplied by 10³⁷: finite itself (≈ 2·10³⁷), but its scaled gradients (× 1024) overflow float32.
        var trainable = model.AsTrainable(batch => trainer!.Step == 3 ? model.Loss(batch) * 1e37f : model.Loss(batch));
        var snapshots = new List<float[]>();
        trainer = new Trainer<LmBatch>(trainable, new RandomWindowSource(TinyLm.Stream(200), 4, 8, seed: 1), new TrainerOptions
        {
            MaxSteps = 6,
            LearningRate = 0.01,
            Precision = GemmPrecision.BFloat16,
            LossScaling = Scaling,
        })
        {
            Progress = new Snapshots(() => snapshots.Add([.. model.Weights.Parameters.SelectMany(p => p.Value.ToArray())])),
        };
        var result = trainer.Train();
        Assert.Equal(6, result.Step);
        Assert.Equal(snapshots[2], snapshots[3]); // step 4 changed nothing
        Assert.NotEqual(snapshots[3], snapshots[4]);
        Assert.Equal(new LossScalerState(1024f, 2, 1), trainer.LossScaler); // 2048 after 3 good steps, halved, 2 good since
    }

    [Fact]
    public void Power_of_two_loss_scaling_changes_no_bit_of_a_bfloat16_run()
    {
        float[] Run(LossScalingOptions? scaling)
        {
            var model = new TinyLm(seed: 5);
            new Trainer<LmBatch>(model.AsTrainable(), new RandomWindowSource(TinyLm.Stream(200), 4, 8, seed: 2), new TrainerOptions
            {
                MaxSteps = 8,
                GradientAccumulationSteps = 2,
                LearningRate = 0.01,
                Precision = GemmPrecision.BFloat16,
                LossScaling = scaling,
            }).Train();
            return [.. model.Weights.Parameters.SelectMany(p => p.Value.ToArray())];
        }

        Assert.Equal(Run(null), Run(Scaling));
    }

    [Fact]
    public void A_resumed_bfloat16_run_with_loss_scaling_matches_the_uninterrupted_run_bit_for_bit()
    {
        using var folder = new TempFolder();
        (Trainer<LmBatch> Trainer, TinyLm Model) Build(string output)
        {
            var model = new TinyLm(seed: 7, dropout: 0.1f);
            Trainer<LmBatch>? trainer = null;
            var trainable = model.AsTrainable(batch => trainer!.Step == 4 ? model.Loss(batch) * 1e37f : model.Loss(batch));
            trainer = new Trainer<LmBatch>(trainable, new RandomWindowSource(TinyLm.Stream(300), 3, 8, seed: 4), new TrainerOptions
            {
                MaxSteps = 10,
                LearningRate = 0.02,
                LogEvery = 1,
                SaveEvery = 3,
                Precision = GemmPrecision.BFloat16,
                LossScaling = Scaling,
                OutputDirectory = output,
            });
            return (trainer, model);
        }

        var (straight, straightModel) = Build(folder.Sub("straight"));
        straight.Train();
        var (first, _) = Build(folder.Sub("resumed"));
        first.Progress = new Snapshots(() =>
        {
            if (first.Step == 7)
            {
                throw new OperationCanceledException("simulated crash after step 7 (latest checkpoint: step 6)");
            }
        });
        Assert.Throws<OperationCanceledException>(() => first.Train());
        var (second, resumedModel) = Build(folder.Sub("resumed"));
        Assert.Equal(6, second.Resume(folder.Sub("resumed")));
        second.Train();

        Assert.Equal(straight.LossScaler, second.LossScaler);
        Assert.Equal(1, second.LossScaler!.SkippedSteps);
        Assert.Equal(straightModel.Weights.Parameters.SelectMany(p => p.Value.ToArray()), resumedModel.Weights.Parameters.SelectMany(p => p.Value.ToArray()));
        Assert.Equal(LogLines(folder.Sub("straight")), LogLines(folder.Sub("resumed")));
    }

    [Fact]
    public void A_tiny_model_trains_with_bfloat16_autocast_to_the_float32_loss()
    {
        (double Loss, float[] Weights) Run(GemmPrecision precision)
        {
            var model = new TinyLm(seed: 1, vocabulary: 8, channels: 32);
            var evalBatch = new RandomWindowSource(TinyLm.Stream(400), 16, 8, seed: 42).Next();
            var trainer = new Trainer<LmBatch>(model.AsTrainable(), new RandomWindowSource(TinyLm.Stream(400), 8, 8, seed: 1), new TrainerOptions
            {
                MaxSteps = 150,
                LearningRate = 0.01,
                Precision = precision,
            }, [evalBatch]);
            trainer.Train();
            return (trainer.Evaluate()["eval_loss"], [.. model.Weights.Parameters.SelectMany(p => p.Value.ToArray())]);
        }

        var (float32, float32Weights) = Run(GemmPrecision.Float32);
        var (bfloat16, bfloat16Weights) = Run(GemmPrecision.BFloat16);
        Assert.True(float32 < 0.8, $"float32 eval loss {float32} (ln 8 ≈ 2.08 untrained)");
        Assert.NotEqual(float32Weights, bfloat16Weights); // the rounding is real
        Assert.True(Math.Abs(bfloat16 - float32) < 0.01 * float32, $"bfloat16 eval loss {bfloat16} vs float32 {float32}");
    }

    private static (IReadOnlyList<KeyValuePair<string, Tensor>> Parameters, Tensor Grad) OneParameter(float[] gradient)
    {
        var w = Tensor.Zeros(gradient.Length);
        var grad = Tensor.FromArray(gradient, gradient.Length);
        w.Grad = grad;
        return ([new KeyValuePair<string, Tensor>("w", w)], grad);
    }

    private static List<string> LogLines(string output) =>
        [.. TrainingLog.Read(Path.Combine(output, Trainer<LmBatch>.LogFileName))
            .Select(r => $"{r.Kind} {r.Step} " + string.Join(" ", r.Values.Where(v => v.Key is not ("tokens_per_second" or "elapsed_s"))
                .Select(v => v.Key + "=" + v.Value.ToString("R", CultureInfo.InvariantCulture))))];

    private sealed class Snapshots(Action afterStep) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => afterStep();
    }
}
