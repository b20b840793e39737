// Token embedding table (torch.nn.Embedding); also usable as a tied output head (Press & Wolf 2017). A table the root
// keeps quantised (Weights.GetQuantized) is looked up row by row and used as a head through the dequantising kernel.
using Loom.Core;

namespace Loom.Nn;

/// <summary>A lookup table <c>weight</c> of shape (V, C).</summary>
public sealed class Embedding
{
    private readonly Tensor? _weight;

    /// <summary>Binds <c>weight</c> (V, C) under <paramref name="weights"/>; default init N(0, 1) as torch.</summary>
    public Embedding(Weights weights, int count, int dim, Init? init = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        Count = count;
        Dim = dim;
        QuantizedWeight = weights.GetQuantized("weight", count, dim);
        _weight = QuantizedWeight is null ? weights.Get("weight", [count, dim], init ?? Init.Normal(1f)) : null;
    }

    /// <summary>Number of rows (V).</summary>
    public int Count { get; }

    /// <summary>Row width (C).</summary>
    public int Dim { get; }

    /// <summary>(V, C).</summary>
    /// <exception cref="InvalidOperationException">The table is quantised (<see cref="QuantizedWeight"/>): there is no float32 parameter to train.</exception>
    public Tensor Weight => _weight ?? throw new InvalidOperationException(
        $"This Embedding's table is stored quantised ({QuantizedWeight!.Format}, [{Count}, {Dim}]) for inference only; it has no float32 parameter to read or train. Use QuantizedWeight, or QuantizedWeight.Dequantize() for a float32 copy.");

    /// <summary>The (V, C) table when it is kept quantised (inference only), else null.</summary>
    public QuantizedMatrix? QuantizedWeight { get; }

    /// <summary>ids (…) → (…, C). Ids outside [0, V) throw <see cref="TensorIndexException"/>.</summary>
    public Tensor Forward(IntTensor ids) => QuantizedWeight?.Embedding(ids) ?? Weight.Embedding(ids);

    /// <summary>Tied output head: (…, C) → (…, V) logits x·Wᵀ.</summary>
    public Tensor Attend(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return QuantizedWeight?.MultiplyTransposed(x) // (…, C)·(C, V) → (…, V), dequantised in the kernel
            ?? x.Matmul(Weight.Transpose(0, 1)); // (…, C)·(C, V) → (…, V)
    }
}
