// Exact-form GELU, y = x · Φ(x) = ½ x (1 + erf(x/√2)) (Hendrycks & Gimpel 2016; torch.nn.functional.gelu with
// approximate='none'), fused into one pass over the data: Φ comes from Abramowitz & Stegun 7.1.26 for erfc
// (|error| ≤ 1.5e-7), erfc(z) ≈ t (a₁ + t (a₂ + t (a₃ + t (a₄ + t a₅)))) e^(−z²) with t = 1/(1 + p z), evaluated in
// Vector512 or Vector256 registers. Large inputs are split across threads at fixed, vector-aligned boundaries, so
// every element takes the same path whatever the thread count (same bits for 1 and N threads).
using System.Runtime.Intrinsics;

namespace Loom.Kernels;

/// <summary>The vectorised, threaded forward pass behind <see cref="ActivationKernels.GeluErf"/>.</summary>
internal static class GeluErfKernel
{
    private const float P = 0.3275911f * 0.70710678118654752440f; // p / √2: t = 1 / (1 + p |x| / √2)
    private const float A1 = 0.254829592f;
    private const float A2 = -0.284496736f;
    private const float A3 = 1.421413741f;
    private const float A4 = -1.453152027f;
    private const float A5 = 1.061405429f;

    /// <summary>y = GELU(x) for equal-length spans.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) => ElementRanges.Map(x, y, Range);

    private static void Range(ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(i, Vector512<float>.Count));
                var t = Vector512<float>.One / (Vector512<float>.One + (Vector512.Abs(v) * P));
                var poly = (((((A5 * t) + Vector512.Create(A4)) * t) + Vector512.Create(A3)) * t + Vector512.Create(A2)) * t;
                poly = (poly + Vector512.Create(A1)) * t;
                var q = poly * Vector512.Exp(v * v * -0.5f) * 0.5f; // ½ erfc(|x|/√2)
                var cdf = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<float>.Zero), Vector512<float>.One - q, q);
                (v * cdf).CopyTo(y.Slice(i, Vector512<float>.Count));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i, Vector256<float>.Count));
                var t = Vector256<float>.One / (Vector256<float>.One + (Vector256.Abs(v) * P));
                var poly = (((((A5 * t) + Vector256.Create(A4)) * t) + Vector256.Create(A3)) * t + Vector256.Create(A2)) * t;
                poly = (poly + Vector256.Create(A1)) * t;
                var q = poly * Vector256.Exp(v * v * -0.5f) * 0.5f; // ½ erfc(|x|/√2)
                var cdf = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, Vector256<float>.Zero), Vector256<float>.One - q, q);
                (v * cdf).CopyTo(y.Slice(i, Vector256<float>.Count));
            }
        }

        for (; i < x.Length; i++)
        {
            var v = x[i];
            var t = 1f / (1f + (MathF.Abs(v) * P));
            var poly = ((((((((A5 * t) + A4) * t) + A3) * t) + A2) * t) + A1) * t;
            var q = poly * MathF.Exp(v * v * -0.5f) * 0.5f;
            y[i] = v * (v >= 0f ? 1f - q : q);
        }
    }
}
