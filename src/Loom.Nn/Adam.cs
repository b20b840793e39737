// Adam (Kingma & Ba 2015) with the bias-corrected update of torch.optim.Adam (single-tensor path):
// m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
// Weight decay is L2 (added to the gradient) here and decoupled (p ·= 1 − lr·wd first) in AdamW.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Adam; see <see cref="AdamW"/> for decoupled weight decay.</summary>
public class Adam : Optimizer
{
    private readonly Dictionary<Tensor, float[]> _firstMoment = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, float[]> _secondMoment = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, int> _steps = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates Adam with L2 weight decay over <paramref name="groups"/>.</summary>
    public Adam(IReadOnlyList<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0d)
        : this(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates the optimizer; <paramref name="decoupled"/> selects AdamW's weight decay.</summary>
    protected Adam(IReadOnlyList<ParameterGroup> groups, double learningRate, double beta1, double beta2, double eps,
        double weightDecay, bool decoupled) : base(groups, learningRate, weightDecay)
    {
        if (beta1 is < 0d or >= 1d || beta2 is < 0d or >= 1d || eps < 0d)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam: expected betas in [0, 1) and eps ≥ 0; found β1 = {beta1}, β2 = {beta2}, ε = {eps}.");
        }

        (Beta1, Beta2, Eps, Decoupled) = (beta1, beta2, eps, decoupled);
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Dictionary<Tensor, float[]>> StateBuffers =>
        new Dictionary<string, Dictionary<Tensor, float[]>> { ["exp_avg"] = _firstMoment, ["exp_avg_sq"] = _secondMoment };

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, Dictionary<Tensor, int>> StateCounters =>
        new Dictionary<string, Dictionary<Tensor, int>> { ["step"] = _steps };

    /// <summary>β1.</summary>
    public double Beta1 { get; }

    /// <summary>β2.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added after dividing √v by √(1 − β2^t).</summary>
    public double Eps { get; }

    /// <summary>True for AdamW's decoupled weight decay, false for L2.</summary>
    public bool Decoupled { get; }

    /// <summary>The first-moment buffer m of a parameter (null before its first update).</summary>
    public float[]? FirstMoment(Tensor parameter) => _firstMoment.GetValueOrDefault(parameter);

    /// <summary>The second-moment buffer v of a parameter (null before its first update).</summary>
    public float[]? SecondMoment(Tensor parameter) => _secondMoment.GetValueOrDefault(parameter);

    /// <inheritdoc/>
    protected override void Update(Tensor parameter, ReadOnlySpan<float> gradient, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var p = parameter.AsSpan();
        var m = State(_firstMoment, parameter);
        var v = State(_secondMoment, parameter);
        var t = _steps[parameter] = _steps.GetValueOrDefault(parameter) + 1;
        if (Decoupled || weightDecay == 0d)
        {
            // The vectorised, threaded kernel (AdamW's order of operations; no decay is plain Adam).
            ParameterUpdates.AdamW(p, gradient, m, v, learningRate, Beta1, Beta2, Eps, Decoupled ? weightDecay : 0d, t);
            return;
        }

        var stepSize = (float)(learningRate / (1d - Math.Pow(Beta1, t)));
        var correction2Sqrt = (float)Math.Sqrt(1d - Math.Pow(Beta2, t));
        var (b1, b2, eps) = ((float)Beta1, (float)Beta2, (float)Eps);
        var (keep1, keep2) = ((float)(1d - Beta1), (float)(1d - Beta2));
        var l2 = (float)weightDecay;
        for (var i = 0; i < p.Length; i++)
        {
            var g = gradient[i] + (l2 * p[i]); // L2 decay joins the gradient (torch.optim.Adam)
            m[i] = (b1 * m[i]) + (keep1 * g);
            v[i] = (b2 * v[i]) + (keep2 * g * g);
            p[i] -= stepSize * (m[i] / ((MathF.Sqrt(v[i]) / correction2Sqrt) + eps));
        }
    }
}
