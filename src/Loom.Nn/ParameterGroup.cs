using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// Parameters that share optimizer settings (torch's param_groups). Null settings fall back to the optimizer's
/// defaults; <see cref="LearningRate"/> is what a schedule rewrites each step.
/// </summary>
public sealed class ParameterGroup
{
    /// <summary>
    /// Creates a group. A parameter with <see cref="Tensor.RequiresGrad"/> false (frozen, or a checkpoint buffer such as
    /// BART's <c>final_logits_bias</c>) may stay in the group: it gets no gradient, so no step changes it (torch's rule).
    /// </summary>
    public ParameterGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The tensors updated in place.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Learning rate for this group (null: the optimizer's).</summary>
    public double? LearningRate { get; set; }

    /// <summary>Weight decay for this group (null: the optimizer's).</summary>
    public double? WeightDecay { get; set; }

    /// <summary>
    /// Two groups as in most LM training recipes: rank ≥ 2 tensors (matrices, embeddings) get
    /// <paramref name="weightDecay"/>, rank-1 tensors (biases, norm weights) get none.
    /// </summary>
    public static IReadOnlyList<ParameterGroup> DecayMatricesOnly(IEnumerable<Tensor> parameters, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var all = parameters.ToList();
        return
        [
            new ParameterGroup(all.Where(p => p.Rank >= 2), weightDecay: weightDecay),
            new ParameterGroup(all.Where(p => p.Rank < 2), weightDecay: 0d),
        ];
    }
}
