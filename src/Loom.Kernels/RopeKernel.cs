// Rotary position embedding of one head vector (Su et al. 2021, "RoFormer"), in the two layouts in use:
// half rotation (HF transformers rotate_half: pairs (i, i + D/2), LLaMA/Qwen/GPT-NeoX) and interleaved pairs
// (2i, 2i + 1) as in GPT-J and karpathy/llama2.c run.c. The inverse rotation (sin negated) is the backward pass.
// Apply uses Vector<float> for the half layout; ApplyScalar is the reference.
using System.Numerics;

namespace Loom.Kernels;

/// <summary>Rotates one row of D values by per-pair angles given as cos/sin rows of D/2.</summary>
public static class RopeKernel
{
    /// <summary>y = R(θ) x (or R(−θ) x when <paramref name="inverse"/>); y may alias x.</summary>
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, bool interleaved,
        bool inverse, Span<float> y)
    {
        var half = Check(x, cos, sin, y);
        if (interleaved)
        {
            ApplyScalar(x, cos, sin, interleaved, inverse, y);
            return;
        }

        var sign = inverse ? -1f : 1f;
        var i = 0;
        var width = Vector<float>.Count;
        if (!x.Overlaps(y))
        {
            var signs = new Vector<float>(sign);
            for (; i + width <= half; i += width)
            {
                var x1 = new Vector<float>(x.Slice(i, width));
                var x2 = new Vector<float>(x.Slice(half + i, width));
                var c = new Vector<float>(cos.Slice(i, width));
                var s = new Vector<float>(sin.Slice(i, width)) * signs;
                ((x1 * c) - (x2 * s)).CopyTo(y.Slice(i, width));
                ((x2 * c) + (x1 * s)).CopyTo(y.Slice(half + i, width));
            }
        }

        for (; i < half; i++)
        {
            var (x1, x2, s) = (x[i], x[half + i], sin[i] * sign);
            y[i] = (x1 * cos[i]) - (x2 * s);
            y[half + i] = (x2 * cos[i]) + (x1 * s);
        }
    }

    /// <summary>Reference for <see cref="Apply"/>.</summary>
    public static void ApplyScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, bool interleaved,
        bool inverse, Span<float> y)
    {
        var half = Check(x, cos, sin, y);
        for (var i = 0; i < half; i++)
        {
            var (a, b) = interleaved ? (2 * i, (2 * i) + 1) : (i, half + i);
            var s = inverse ? -sin[i] : sin[i];
            var (x1, x2) = (x[a], x[b]);
            y[a] = (x1 * cos[i]) - (x2 * s);
            y[b] = (x2 * cos[i]) + (x1 * s);
        }
    }

    private static int Check(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y)
    {
        if (x.Length % 2 != 0)
        {
            throw new ArgumentException($"Rotary embedding needs an even head dimension; found {x.Length}.", nameof(x));
        }

        var half = x.Length / 2;
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        KernelGuard.Length(half, cos.Length, nameof(cos));
        KernelGuard.Length(half, sin.Length, nameof(sin));
        return half;
    }
}
