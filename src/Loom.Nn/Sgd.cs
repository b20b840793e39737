// Stochastic gradient descent with momentum and Nesterov momentum (Sutskever et al. 2013), following the update of
// torch.optim.SGD: d = g + wd·p; b = μ·b + (1 − τ)·d (b = d on the first step); d = d + μ·b (Nesterov) or b; p −= lr·d.
using Loom.Core;

namespace Loom.Nn;

/// <summary>SGD with optional momentum, dampening, Nesterov momentum and L2 weight decay.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Tensor, float[]> _momentum = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates SGD over <paramref name="groups"/>.</summary>
    public Sgd(IReadOnlyList<ParameterGroup> groups, double learningRate, double momentum = 0d, double dampening = 0d,
        bool nesterov = false, double weightDecay = 0d) : base(groups, learningRate, weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        if (nesterov && (momentum <= 0d || dampening != 0d))
        {
            throw new ArgumentException($"SGD: Nesterov momentum needs momentum > 0 and zero dampening; found momentum {momentum}, dampening {dampening}.");
        }

        (Momentum, Dampening, Nesterov) = (momentum, dampening, nesterov);
    }

    /// <summary>Creates SGD over one group holding <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0d, double dampening = 0d,
        bool nesterov = false, double weightDecay = 0d)
        : this([new ParameterGroup(parameters)], learningRate, momentum, dampening, nesterov, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Dictionary<Tensor, float[]>> StateBuffers =>
        new Dictionary<string, Dictionary<Tensor, float[]>> { ["momentum_buffer"] = _momentum };

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>τ.</summary>
    public double Dampening { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Tensor parameter, ReadOnlySpan<float> gradient, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var p = parameter.AsSpan();
        var (lr, wd, mu, keep) = ((float)learningRate, (float)weightDecay, (float)Momentum, (float)(1d - Dampening));
        var first = !_momentum.ContainsKey(parameter);
        var buffer = Momentum != 0d ? State(_momentum, parameter) : null;
        for (var i = 0; i < p.Length; i++)
        {
            var d = wd != 0f ? gradient[i] + (wd * p[i]) : gradient[i];
            if (buffer is not null)
            {
                buffer[i] = first ? d : (mu * buffer[i]) + (keep * d);
                d = Nesterov ? d + (mu * buffer[i]) : buffer[i];
            }

            p[i] -= lr * d;
        }
    }
}
