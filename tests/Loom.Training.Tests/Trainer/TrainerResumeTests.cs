using System.Globalization;
using Loom.Core;

namespace Loom.Training.Tests.Trainer;

/// <summary>
/// Exact resume: a run interrupted after a checkpoint, rebuilt from nothing and resumed, produces the same losses, the
/// same log and the same final weights bit for bit as a run that never stopped (dropout, accumulation and evaluation on).
/// </summary>
public sealed class TrainerResumeTests
{
    private const int TotalSteps = 12;

    private sealed class SimulatedCrashException : Exception
    {
    }

    private static (Trainer<LmBatch> Trainer, TinyLm Model) Build(string kind, string output)
    {
        var model = new TinyLm(seed: 11, dropout: 0.2f);
        var stream = TinyLm.Stream(300);
        IBatchSource<LmBatch> source = kind == "windows"
            ? new RandomWindowSource(stream, batchSize: 3, blockSize: 8, seed: 5)
            : new ShuffledBatchSource<int, LmBatch>([.. Enumerable.Range(0, 37)], batchSize: 3, seed: 5, Collate, b => b.Inputs.Count);
        LmBatch Collate(IReadOnlyList<int> starts, Generator generator)
        {
            // Each example is a window start; a random shift per row exercises the collate generator's saved state.
            var inputs = new int[starts.Count * 8];
            var targets = new int[starts.Count * 8];
            for (var row = 0; row < starts.Count; row++)
            {
                var start = (starts[row] * 7) + generator.NextInt(3);
                Array.Copy(stream, start, inputs, row * 8, 8);
                Array.Copy(stream, start + 1, targets, row * 8, 8);
            }

            return new LmBatch(IntTensor.FromArray(inputs, starts.Count, 8), IntTensor.FromArray(targets, starts.Count, 8));
        }

        var evalBatch = new RandomWindowSource(TinyLm.Stream(100), 4, 8, seed: 99).Next();
        var options = new TrainerOptions
        {
            MaxSteps = TotalSteps,
            GradientAccumulationSteps = 2,
            LearningRate = 0.02,
            WarmupSteps = 3,
            MinLearningRateFraction = 0.1,
            MaxGradNorm = 0.5f,
            LogEvery = 1,
            EvalEvery = 4,
            SaveEvery = 3,
            KeepLast = 2,
            OutputDirectory = output,
        };
        return (new Trainer<LmBatch>(model.AsTrainable(), source, options, [evalBatch]), model);
    }

    private static float[][] Snapshot(TinyLm model) => [.. model.Weights.Parameters.Select(p => p.Value.ToArray())];

    private static List<string> TrainLines(string output) =>
        [.. TrainingLog.Read(Path.Combine(output, Trainer<LmBatch>.LogFileName))
            .Select(r => $"{r.Kind} {r.Step} " + string.Join(" ", r.Values.Where(v => v.Key is not ("tokens_per_second" or "elapsed_s"))
                .Select(v => v.Key + "=" + v.Value.ToString("R", CultureInfo.InvariantCulture))))];

    [Theory]
    [InlineData("windows")]
    [InlineData("shuffled")]
    public void Killed_and_resumed_run_matches_the_uninterrupted_run_bit_for_bit(string kind)
    {
        using var folder = new TempFolder();
        var (straight, straightModel) = Build(kind, folder.Sub("straight"));
        var expected = straight.Train();
        Assert.Equal(TotalSteps, expected.Losses.Count);

        // First attempt: dies after step 7, whose work no checkpoint holds (the latest is step 6: save every 3).
        var (first, _) = Build(kind, folder.Sub("resumed"));
        first.Progress = new CrashAt(7);
        Assert.Throws<SimulatedCrashException>(() => first.Train());

        // Everything is rebuilt from scratch, as in a new process.
        var (second, resumedModel) = Build(kind, folder.Sub("resumed"));
        Assert.Equal(6, second.Resume(folder.Sub("resumed")));
        var resumed = second.Train();

        Assert.Equal(expected.Losses.Skip(6), resumed.Losses);
        Assert.Equal(expected.BestStep, resumed.BestStep);
        Assert.Equal(expected.BestMetric, resumed.BestMetric);
        var (want, got) = (Snapshot(straightModel), Snapshot(resumedModel));
        for (var i = 0; i < want.Length; i++)
        {
            Assert.Equal(want[i], got[i]); // exact float equality, element by element
        }

        Assert.Equal(TrainLines(folder.Sub("straight")), TrainLines(folder.Sub("resumed")));
    }

    private sealed class CrashAt(int step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                throw new SimulatedCrashException();
            }
        }
    }
}
