// Inverted dropout (Srivastava et al. 2014), active only in training mode, driven by the tree's seeded generator.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Dropout with probability <see cref="P"/> that follows the train/eval mode of its <see cref="Weights"/> tree.</summary>
public sealed class Dropout
{
    private readonly Weights _weights;

    /// <summary>Creates dropout with probability <paramref name="p"/> in [0, 1).</summary>
    public Dropout(Weights weights, float p)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (p is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: expected a probability in [0, 1).");
        }

        _weights = weights;
        P = p;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>True when <see cref="Forward"/> masks: training mode and p > 0.</summary>
    public bool IsActive => _weights.Training && P > 0f;

    /// <summary>x unchanged in eval mode or when p = 0; otherwise masked and scaled by 1/(1 − p).</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return IsActive ? x.Dropout(P, _weights.Generator) : x;
    }
}
