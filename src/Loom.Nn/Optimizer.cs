using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// A first-order optimizer over parameter groups: <see cref="Step"/> reads each parameter's <see cref="Tensor.Grad"/>
/// and updates the parameter in place (parameters without a gradient are skipped, as in torch).
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(IReadOnlyList<ParameterGroup> groups, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in groups.SelectMany(g => g.Parameters))
        {
            if (!seen.Add(p))
            {
                throw new ArgumentException($"Optimizer: parameter {p} appears more than once across groups.", nameof(groups));
            }

            if (!p.IsContiguous)
            {
                throw new ArgumentException($"Optimizer: parameter {p} is not contiguous; parameters are updated in place.", nameof(groups));
            }
        }

        Groups = groups;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Default learning rate (groups may override it).</summary>
    public double LearningRate { get; set; }

    /// <summary>Default weight decay (groups may override it).</summary>
    public double WeightDecay { get; }

    /// <summary>Number of completed steps.</summary>
    public int StepCount { get; private set; }

    /// <summary>The per-parameter float buffers by kind (e.g. Adam's "exp_avg"); empty for a stateless optimizer.</summary>
    protected virtual IReadOnlyDictionary<string, Dictionary<Tensor, float[]>> StateBuffers { get; } =
        new Dictionary<string, Dictionary<Tensor, float[]>>();

    /// <summary>The per-parameter integer counters by kind (e.g. Adam's per-parameter "step"); empty by default.</summary>
    protected virtual IReadOnlyDictionary<string, Dictionary<Tensor, int>> StateCounters { get; } =
        new Dictionary<string, Dictionary<Tensor, int>>();

    /// <summary>All parameters of all groups.</summary>
    public IEnumerable<Tensor> Parameters => Groups.SelectMany(g => g.Parameters);

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        foreach (var group in Groups)
        {
            var lr = group.LearningRate ?? LearningRate;
            var wd = group.WeightDecay ?? WeightDecay;
            foreach (var p in group.Parameters)
            {
                if (p.Grad is null)
                {
                    continue;
                }

                if (!p.Grad.Shape.SequenceEqual(p.Shape))
                {
                    throw new TensorShapeException($"Optimizer: gradient shape [{string.Join(", ", p.Grad.Shape)}] differs from its parameter's [{string.Join(", ", p.Shape)}].");
                }

                Update(p, p.Grad.Contiguous().AsSpan(), lr, wd);
            }
        }
    }

    /// <summary>Clears every parameter's gradient (torch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad() => ZeroGrad(releaseBuffers: false);

    /// <summary>
    /// Clears every parameter's gradient; with <paramref name="releaseBuffers"/> the gradient buffers are handed back
    /// to the engine for the next backward pass (<see cref="Tensor.ZeroGrad(bool)"/>): a training loop's choice when it
    /// keeps no reference to an old gradient.
    /// </summary>
    public void ZeroGrad(bool releaseBuffers)
    {
        foreach (var p in Parameters)
        {
            p.ZeroGrad(releaseBuffers);
        }
    }

    /// <summary>
    /// A copy of the optimizer's state keyed by the parameter names in <paramref name="namedParameters"/> (which must
    /// name every optimized parameter that has state).
    /// </summary>
    public OptimizerState ExportState(IEnumerable<KeyValuePair<string, Tensor>> namedParameters)
    {
        var names = NameParameters(namedParameters);
        string NameOf(Tensor p) => names.TryGetValue(p, out var name) ? name
            : throw new StateDictException($"Optimizer state: parameter {p} has state but no name among the named parameters.");
        var buffers = StateBuffers.ToDictionary(kind => kind.Key, kind => (IReadOnlyDictionary<string, float[]>)kind.Value
            .ToDictionary(e => NameOf(e.Key), e => (float[])e.Value.Clone(), StringComparer.Ordinal), StringComparer.Ordinal);
        var counters = StateCounters.ToDictionary(kind => kind.Key, kind => (IReadOnlyDictionary<string, int>)kind.Value
            .ToDictionary(e => NameOf(e.Key), e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        return new OptimizerState(StepCount, buffers, counters);
    }

    /// <summary>
    /// Replaces the optimizer's state with a copy of <paramref name="state"/> (as exported from an optimizer of the same
    /// type), binding names through <paramref name="namedParameters"/>. Throws <see cref="StateDictException"/> naming
    /// the entry for an unknown kind or parameter name or a buffer of the wrong length; nothing changes when it throws.
    /// </summary>
    public void ImportState(OptimizerState state, IEnumerable<KeyValuePair<string, Tensor>> namedParameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        var byName = NameParameters(namedParameters).ToDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);
        Tensor Find(string kind, string name) => byName.TryGetValue(name, out var p) ? p
            : throw new StateDictException($"Optimizer state: '{kind}' holds parameter '{name}', which this optimizer does not update.");
        foreach (var kind in state.Buffers.Keys.Concat(state.Counters.Keys))
        {
            if (!StateBuffers.ContainsKey(kind) && !StateCounters.ContainsKey(kind))
            {
                throw new StateDictException($"Optimizer state: unknown state kind '{kind}' for {GetType().Name} (expected {string.Join(", ", StateBuffers.Keys.Concat(StateCounters.Keys).Select(k => $"'{k}'"))}).");
            }
        }

        foreach (var (kind, entries) in state.Buffers)
        {
            foreach (var (name, buffer) in entries)
            {
                var p = Find(kind, name);
                if (buffer.Length != p.Count)
                {
                    throw new StateDictException($"Optimizer state: '{kind}' of '{name}' has {buffer.Length} values; the parameter has {p.Count}.");
                }
            }
        }

        foreach (var (kind, entries) in state.Counters)
        {
            foreach (var name in entries.Keys)
            {
                Find(kind, name);
            }
        }

        foreach (var (kind, target) in StateBuffers)
        {
            target.Clear();
            foreach (var (name, buffer) in state.Buffers.GetValueOrDefault(kind) ?? new Dictionary<string, float[]>())
            {
                target[byName[name]] = (float[])buffer.Clone();
            }
        }

        foreach (var (kind, target) in StateCounters)
        {
            target.Clear();
            foreach (var (name, value) in state.Counters.GetValueOrDefault(kind) ?? new Dictionary<string, int>())
            {
                target[byName[name]] = value;
            }
        }

        StepCount = state.StepCount;
    }

    /// <summary>Updates one parameter given its gradient, the group's learning rate and weight decay.</summary>
    protected abstract void Update(Tensor parameter, ReadOnlySpan<float> gradient, double learningRate, double weightDecay);

    /// <summary>Per-parameter state buffer of the parameter's size, created zeroed on first use.</summary>
    protected static float[] State(Dictionary<Tensor, float[]> states, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(parameter);
        if (!states.TryGetValue(parameter, out var buffer))
        {
            buffer = new float[parameter.Count];
            states.Add(parameter, buffer);
        }

        return buffer;
    }

    private Dictionary<Tensor, string> NameParameters(IEnumerable<KeyValuePair<string, Tensor>> namedParameters)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        var optimized = Parameters.ToHashSet(ReferenceEqualityComparer.Instance);
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in namedParameters)
        {
            if (optimized.Contains(tensor))
            {
                names.TryAdd(tensor, name);
            }
        }

        return names;
    }
}
