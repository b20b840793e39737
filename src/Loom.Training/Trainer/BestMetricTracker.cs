namespace Loom.Training;

/// <summary>
/// Tracks the best value of one metric across evaluations and how many evaluations in a row failed to improve it
/// (Keras EarlyStopping semantics: an improvement must beat the best by more than the minimum delta).
/// </summary>
public sealed class BestMetricTracker
{
    /// <summary>Creates a tracker with no evaluation seen yet.</summary>
    public BestMetricTracker(MetricMode mode, double minDelta = 0d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        (Mode, MinDelta) = (mode, minDelta);
    }

    /// <summary>Whether smaller or larger is better.</summary>
    public MetricMode Mode { get; }

    /// <summary>The margin an improvement must exceed.</summary>
    public double MinDelta { get; }

    /// <summary>The best value so far (null before the first evaluation).</summary>
    public double? Best { get; private set; }

    /// <summary>The step of <see cref="Best"/>.</summary>
    public int? BestStep { get; private set; }

    /// <summary>Evaluations since the last improvement.</summary>
    public int EvaluationsWithoutImprovement { get; private set; }

    /// <summary>Records <paramref name="value"/> measured at <paramref name="step"/>; returns true when it is a new best.</summary>
    public bool Update(int step, double value)
    {
        var improved = Best is not { } best
            || (Mode == MetricMode.Min ? value < best - MinDelta : value > best + MinDelta);
        if (improved)
        {
            (Best, BestStep, EvaluationsWithoutImprovement) = (value, step, 0);
        }
        else
        {
            EvaluationsWithoutImprovement++;
        }

        return improved;
    }

    /// <summary>Restores a saved state.</summary>
    public void Restore(double? best, int? bestStep, int evaluationsWithoutImprovement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(evaluationsWithoutImprovement);
        (Best, BestStep, EvaluationsWithoutImprovement) = (best, bestStep, evaluationsWithoutImprovement);
    }
}
