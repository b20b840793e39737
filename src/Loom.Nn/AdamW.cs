// AdamW, "Decoupled Weight Decay Regularization" (Loshchilov & Hutter 2019), as torch.optim.AdamW: p ·= 1 − lr·wd
// before the Adam update.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Adam with decoupled weight decay (torch defaults: lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW over <paramref name="groups"/> (use groups to exempt biases and norm weights from decay).</summary>
    public AdamW(IReadOnlyList<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: true)
    {
    }

    /// <summary>Creates AdamW over one group holding <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
        : this([new ParameterGroup(parameters)], learningRate, beta1, beta2, eps, weightDecay)
    {
    }
}
