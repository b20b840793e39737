// Root-mean-square normalisation (Zhang & Sennrich 2019), as LlamaRMSNorm / T5LayerNorm; calls the fused core op.
using Loom.Core;

namespace Loom.Nn;

/// <summary>RMSNorm over the last dimension with a <c>weight</c> (init 1) and no bias.</summary>
public sealed class RmsNorm
{
    /// <summary>Binds <c>weight</c> (C) under <paramref name="weights"/>.</summary>
    public RmsNorm(Weights weights, int dim, float eps = 1e-6f)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Eps = eps;
        Weight = weights.Get("weight", [dim], Init.Ones);
    }

    /// <summary>Added to the mean square.</summary>
    public float Eps { get; }

    /// <summary>(C).</summary>
    public Tensor Weight { get; }

    /// <summary>(…, C) → (…, C).</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.RmsNorm(Weight, Eps);
    }
}
