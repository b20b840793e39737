// Rotary position embedding, RoFormer (Su et al. 2021): each pair of a head vector is rotated by position·θ^(−2i/D).
// HalfRotation pairs (i, i + D/2) as Hugging Face LLaMA/NeoX; Interleaved pairs (2i, 2i + 1) as GPT-J and llama2.c.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Applies rotary embeddings to (B, H, T, D) queries or keys, starting at a given absolute position.</summary>
public sealed class RotaryEmbedding
{
    /// <summary>Creates the rotation for head dimension <paramref name="headDim"/> (even) with base <paramref name="theta"/>.</summary>
    public RotaryEmbedding(int headDim, float theta = 10000f, RopeLayout layout = RopeLayout.HalfRotation)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "Rotary embedding: expected an even head dimension > 0.");
        }

        HeadDim = headDim;
        Theta = theta;
        Layout = layout;
    }

    /// <summary>D.</summary>
    public int HeadDim { get; }

    /// <summary>Frequency base.</summary>
    public float Theta { get; }

    /// <summary>Which elements form a rotated pair.</summary>
    public RopeLayout Layout { get; }

    /// <summary>(B, H, T, D) → (B, H, T, D) rotated for positions start … start + T − 1.</summary>
    public Tensor Apply(Tensor x, int start = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2 || x.Size(-1) != HeadDim)
        {
            throw new TensorShapeException($"RotaryEmbedding: expected (…, T, {HeadDim}); found [{string.Join(", ", x.Shape)}].");
        }

        var (cos, sin) = Tensor.RopeTables(x.Size(-2), HeadDim, Theta, start); // (T, D/2) each
        return x.Rope(cos, sin, Layout);
    }
}
