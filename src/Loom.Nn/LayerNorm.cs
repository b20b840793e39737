// Layer normalisation (Ba, Kiros & Hinton 2016), torch.nn.LayerNorm over the last dimension; calls the fused core op.
using Loom.Core;

namespace Loom.Nn;

/// <summary>LayerNorm over the last dimension with <c>weight</c> (init 1) and optional <c>bias</c> (init 0).</summary>
public sealed class LayerNorm
{
    /// <summary>Binds <c>weight</c> and <c>bias</c> (C) under <paramref name="weights"/>.</summary>
    public LayerNorm(Weights weights, int dim, float eps = 1e-5f, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Eps = eps;
        Weight = weights.Get("weight", [dim], Init.Ones);
        Bias = bias ? weights.Get("bias", [dim], Init.Zeros) : null;
    }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>(C).</summary>
    public Tensor Weight { get; }

    /// <summary>(C), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>(…, C) → (…, C).</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.LayerNorm(Weight, Bias, Eps);
    }

    /// <summary>(…, C) + residual (…, C) → LayerNorm of the sum (…, C), the post-norm residual step, fused.</summary>
    public Tensor Forward(Tensor x, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.AddLayerNorm(residual, Weight, Bias, Eps);
    }
}
