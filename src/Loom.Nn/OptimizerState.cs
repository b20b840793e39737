namespace Loom.Nn;

/// <summary>
/// An optimizer's resumable state keyed by parameter name (torch's optimizer.state_dict() with names instead of
/// indices): the completed step count, the per-parameter float buffers by kind (Adam: "exp_avg", "exp_avg_sq"; SGD:
/// "momentum_buffer") and the per-parameter integer counters by kind (Adam: "step").
/// </summary>
public sealed class OptimizerState
{
    /// <summary>Creates a state snapshot (the dictionaries are kept, not copied).</summary>
    public OptimizerState(int stepCount,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, float[]>> buffers,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> counters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentNullException.ThrowIfNull(counters);
        (StepCount, Buffers, Counters) = (stepCount, buffers, counters);
    }

    /// <summary>Number of completed optimizer steps.</summary>
    public int StepCount { get; }

    /// <summary>Buffer kind → parameter name → buffer (one float per parameter element).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, float[]>> Buffers { get; }

    /// <summary>Counter kind → parameter name → value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counters { get; }
}
