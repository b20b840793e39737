// Learning-rate schedules as multipliers of a base rate, with the formulas (and operation order, so the doubles are
// identical) of Hugging Face transformers' optimization.py: get_constant_schedule, get_linear_schedule_with_warmup,
// get_cosine_schedule_with_warmup / get_cosine_with_min_lr_schedule_with_warmup, get_inverse_sqrt_schedule.
namespace Loom.Nn;

/// <summary>A learning-rate schedule: lr(step) = base · <see cref="Factor"/>(step), as torch's LambdaLR.</summary>
public abstract class LrSchedule
{
    /// <summary>The multiplier applied to the base learning rate after <paramref name="step"/> scheduler steps.</summary>
    public abstract double Factor(int step);

    /// <summary>base · Factor(step) in IEEE double.</summary>
    public double LearningRate(double baseLearningRate, int step) => baseLearningRate * Factor(step);

    /// <summary>
    /// Sets the learning rate of <paramref name="optimizer"/> for <paramref name="step"/>: the optimizer default becomes
    /// base · Factor(step) and per-group learning-rate overrides are cleared, so every group follows the schedule.
    /// </summary>
    public void Apply(Optimizer optimizer, double baseLearningRate, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = LearningRate(baseLearningRate, step);
        foreach (var group in optimizer.Groups)
        {
            group.LearningRate = null;
        }
    }

    /// <summary>Factor 1 at every step.</summary>
    public static LrSchedule Constant() => new Delegated(_ => 1d);

    /// <summary>Linear warmup from 0 to 1 over <paramref name="warmupSteps"/>, then linear decay to 0 at <paramref name="totalSteps"/>.</summary>
    public static LrSchedule LinearWarmupLinearDecay(int warmupSteps, int totalSteps)
    {
        CheckSteps(warmupSteps, totalSteps);
        return new Delegated(step => step < warmupSteps
            ? Warmup(step, warmupSteps)
            : Math.Max(0d, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps)));
    }

    /// <summary>
    /// Linear warmup, then half a cosine period from 1 down to <paramref name="floor"/> (a fraction of the base rate)
    /// at <paramref name="totalSteps"/>; with floor 0 it is exactly get_cosine_schedule_with_warmup.
    /// </summary>
    public static LrSchedule WarmupCosine(int warmupSteps, int totalSteps, double floor = 0d, double cycles = 0.5)
    {
        CheckSteps(warmupSteps, totalSteps);
        if (floor is < 0d or > 1d)
        {
            throw new ArgumentOutOfRangeException(nameof(floor), floor, "Cosine schedule: the floor is a fraction of the base rate in [0, 1].");
        }

        return new Delegated(step =>
        {
            if (step < warmupSteps)
            {
                return Warmup(step, warmupSteps);
            }

            var progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
            var cosine = Math.Max(0d, 0.5 * (1d + Math.Cos(Math.PI * cycles * 2d * progress)));
            return floor == 0d ? cosine : (cosine * (1d - floor)) + floor;
        });
    }

    /// <summary>Linear warmup, then 1/√((step + shift) / timescale) with shift = timescale − warmup (timescale defaults to the warmup length, or 10,000 without warmup).</summary>
    public static LrSchedule InverseSqrt(int warmupSteps, int? timescale = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        var scale = timescale ?? (warmupSteps > 0 ? warmupSteps : 10_000);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var shift = scale - warmupSteps;
        return new Delegated(step => step < warmupSteps
            ? Warmup(step, warmupSteps)
            : 1d / Math.Sqrt((double)(step + shift) / scale));
    }

    private static double Warmup(int step, int warmupSteps) => (double)step / Math.Max(1, warmupSteps);

    private static void CheckSteps(int warmupSteps, int totalSteps)
    {
        if (warmupSteps < 0 || totalSteps < warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), $"Schedule: expected 0 ≤ warmup ≤ total steps; found warmup {warmupSteps}, total {totalSteps}.");
        }
    }

    private sealed class Delegated(Func<int, double> factor) : LrSchedule
    {
        public override double Factor(int step)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(step);
            return factor(step);
        }
    }
}
