// The configured norm (LayerNorm or RMSNorm) behind one call.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>LayerNorm or RMSNorm over C, chosen by <see cref="NormKind"/>.</summary>
public sealed class TransformerNorm
{
    private readonly Func<Tensor, Tensor> _apply;

    /// <summary>Binds the norm's parameters under <paramref name="weights"/>.</summary>
    public TransformerNorm(Weights weights, NormKind kind, int channels)
    {
        _apply = kind switch
        {
            NormKind.LayerNorm => new LayerNorm(weights, channels).Forward,
            NormKind.RmsNorm => new RmsNorm(weights, channels).Forward,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown norm kind."),
        };
    }

    /// <summary>(…, C) → (…, C).</summary>
    public Tensor Forward(Tensor x) => _apply(x);
}
