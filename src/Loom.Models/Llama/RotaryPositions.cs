// Rotary position embedding (Su et al. 2021, RoFormer) at explicit per-row positions, as HF LlamaRotaryEmbedding
// computes it: inverse frequencies θ^(−2i/D) and angles position·freq in float32, cos/sin of them, applied with
// apply_rotary_pos_emb (rotate_half) or, for llama2.c checkpoints, to interleaved pairs as run.c does.
using Loom.Core;

namespace Loom.Models.Llama;

/// <summary>Rotates (B, H, T, D) queries or keys by the positions of each batch row.</summary>
public sealed class RotaryPositions
{
    private readonly float[] _inverseFrequencies;

    /// <summary>Rotation for head size <paramref name="headDim"/> (even) with base <paramref name="theta"/>.</summary>
    public RotaryPositions(int headDim, float theta, RopeLayout layout)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ModelLoadException($"Rotary embedding: expected an even head dimension > 0; found {headDim}.");
        }

        Layout = layout;
        _inverseFrequencies = new float[headDim / 2];
        for (var i = 0; i < _inverseFrequencies.Length; i++)
        {
            _inverseFrequencies[i] = 1f / MathF.Pow(theta, 2 * i / (float)headDim);
        }
    }

    /// <summary>Pairing of rotated elements.</summary>
    public RopeLayout Layout { get; }

    /// <summary>x (B, H, T, D) rotated by <paramref name="positionIds"/> (B, T).</summary>
    public Tensor Apply(Tensor x, IntTensor positionIds)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(positionIds);
        int b = x.Size(0), t = x.Size(2);
        var positions = positionIds.ToArray();
        if (SameForEveryRow(positions, b, t))
        {
            var (cos, sin) = Tables(positions.AsSpan(0, t)); // (T, D/2) each
            return x.Rope(cos, sin, Layout); // (B, H, T, D)
        }

        var rows = new Tensor[b];
        for (var row = 0; row < b; row++)
        {
            var (cos, sin) = Tables(positions.AsSpan(row * t, t)); // (T, D/2) each
            rows[row] = x.Narrow(0, row, 1).Rope(cos, sin, Layout); // (1, H, T, D)
        }

        return Tensor.Concat(rows, 0); // (B, H, T, D)
    }

    private static bool SameForEveryRow(int[] positions, int batch, int length)
    {
        for (var i = length; i < batch * length; i++)
        {
            if (positions[i] != positions[i % length])
            {
                return false;
            }
        }

        return true;
    }

    private (Tensor Cos, Tensor Sin) Tables(ReadOnlySpan<int> positions)
    {
        var half = _inverseFrequencies.Length;
        var cos = new float[positions.Length * half];
        var sin = new float[positions.Length * half];
        for (var p = 0; p < positions.Length; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = positions[p] * _inverseFrequencies[i];
                cos[(p * half) + i] = MathF.Cos(angle);
                sin[(p * half) + i] = MathF.Sin(angle);
            }
        }

        return (Tensor.FromArray(cos, positions.Length, half), Tensor.FromArray(sin, positions.Length, half));
    }
}
