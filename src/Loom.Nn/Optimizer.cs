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
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.ZeroGrad();
        }
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
}
