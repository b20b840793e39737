// Splitting the channel dimension into heads and back (Vaswani et al. 2017, section 3.2.2), as views.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Reshapes between (B, T, H·D) activations and (B, H, T, D) per-head tensors.</summary>
public static class AttentionHeads
{
    /// <summary>(B, T, H·D) → (B, H, T, D), a view.</summary>
    public static Tensor Split(Tensor x, int heads)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || heads <= 0 || x.Size(2) % heads != 0)
        {
            throw new TensorShapeException($"AttentionHeads.Split: expected (B, T, H·D) with H = {heads} dividing the last dimension; found [{string.Join(", ", x.Shape)}].");
        }

        var (b, t, d) = (x.Size(0), x.Size(1), x.Size(2) / heads);
        return x.Reshape(b, t, heads, d) // (B, T, H, D)
            .Transpose(1, 2); // (B, H, T, D)
    }

    /// <summary>(B, H, T, D) → (B, T, H·D).</summary>
    public static Tensor Merge(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
        {
            throw new TensorShapeException($"AttentionHeads.Merge: expected (B, H, T, D); found [{string.Join(", ", x.Shape)}].");
        }

        var (b, h, t, d) = (x.Size(0), x.Size(1), x.Size(2), x.Size(3));
        return x.Transpose(1, 2) // (B, T, H, D)
            .Reshape(b, t, h * d); // (B, T, C)
    }
}
