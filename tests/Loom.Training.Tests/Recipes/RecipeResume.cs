using Loom.Core;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// Exact resume of a recipe: a run that stops with an exception after <c>crashStep</c>, rebuilt from nothing and resumed
/// from its last checkpoint, must end with the losses, best metric and weights of an uninterrupted run, bit for bit.
/// </summary>
internal static class RecipeResume
{
    /// <summary>Checks it and returns the uninterrupted run's result.</summary>
    public static TrainingResult AssertBitExact<TBatch>(TempFolder folder, Func<string, (Trainer<TBatch> Trainer, IReadOnlyList<KeyValuePair<string, Tensor>> Parameters)> build,
        int crashStep, int checkpointStep)
    {
        var straight = build(folder.Sub("straight"));
        var expected = straight.Trainer.Train();

        var first = build(folder.Sub("resumed"));
        first.Trainer.Progress = new CrashAt(crashStep);
        Assert.Throws<SimulatedCrashException>(() => first.Trainer.Train());

        var second = build(folder.Sub("resumed"));
        Assert.Equal(checkpointStep, second.Trainer.Resume(folder.Sub("resumed")));
        var resumed = second.Trainer.Train();

        Assert.Equal(expected.Losses.Skip(checkpointStep), resumed.Losses);
        Assert.Equal(expected.BestMetric, resumed.BestMetric);
        var (want, got) = (straight.Parameters, second.Parameters);
        Assert.Equal(want.Select(p => p.Key), got.Select(p => p.Key));
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Value.ToArray(), got[i].Value.ToArray()); // exact float equality
        }

        return expected;
    }

    private sealed class SimulatedCrashException : Exception
    {
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
