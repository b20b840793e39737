// Token embedding table (torch.nn.Embedding); also usable as a tied output head (Press & Wolf 2017).
using Loom.Core;

namespace Loom.Nn;

/// <summary>A lookup table <c>weight</c> of shape (V, C).</summary>
public sealed class Embedding
{
    /// <summary>Binds <c>weight</c> (V, C) under <paramref name="weights"/>; default init N(0, 1) as torch.</summary>
    public Embedding(Weights weights, int count, int dim, Init? init = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Count = count;
        Dim = dim;
        Weight = weights.Get("weight", [count, dim], init ?? Init.Normal(1f));
    }

    /// <summary>Number of rows (V).</summary>
    public int Count { get; }

    /// <summary>Row width (C).</summary>
    public int Dim { get; }

    /// <summary>(V, C).</summary>
    public Tensor Weight { get; }

    /// <summary>ids (…) → (…, C). Ids outside [0, V) throw <see cref="TensorIndexException"/>.</summary>
    public Tensor Forward(IntTensor ids) => Weight.Embedding(ids);

    /// <summary>Tied output head: (…, C) → (…, V) logits x·Wᵀ.</summary>
    public Tensor Attend(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Matmul(Weight.Transpose(0, 1)); // (…, C)·(C, V) → (…, V)
    }
}
