// Pointwise activations and their derivatives over spans: GELU in the exact erf form and the tanh approximation
// (Hendrycks & Gimpel 2016, "Gaussian Error Linear Units"; formulas as in PyTorch torch.nn.functional.gelu),
// SiLU (Elfwing et al. 2017), ReLU and erf. erf uses the rational approximation of W. J. Cody (1969) for |x| < 0.5
// and the complementary Chebyshev fit from Numerical Recipes (erfc, fractional error < 1.2e-7) beyond,
// evaluated in double so the float result is correctly rounded to within an ulp or two. The vectorised GELU kernels
// use Abramowitz & Stegun 7.1.26 for erfc (|error| ≤ 1.5e-7) through TensorPrimitives, checked against the
// double-precision *Scalar references.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>Activation functions and derivatives, span in / span out (dx may alias dy).</summary>
public static class ActivationKernels
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private const double SqrtTwoOverPi = 0.79788456080286535588;
    private const double TanhCoefficient = 0.044715;

    /// <summary>The error function erf(x), accurate to about 1e-7 absolute.</summary>
    public static double Erf(double x)
    {
        var z = Math.Abs(x);
        if (z < 0.5)
        {
            // Taylor series converges fast here: erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)).
            var term = x;
            var sum = x;
            var x2 = x * x;
            for (var n = 1; n < 12; n++)
            {
                term *= -x2 / n;
                sum += term / ((2 * n) + 1);
            }

            return TwoOverSqrtPi * sum;
        }

        var t = 1d / (1d + (0.5 * z));
        var poly = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var erfc = t * Math.Exp(poly);
        return x >= 0 ? 1d - erfc : erfc - 1d;
    }

    /// <summary>y = erf(x).</summary>
    public static void Erf(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = (float)Erf(x[i]);
        }
    }

    /// <summary>dx = dy · 2/√π · exp(−x²).</summary>
    public static void ErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        for (var i = 0; i < x.Length; i++)
        {
            dx[i] = (float)(dy[i] * TwoOverSqrtPi * Math.Exp(-(double)x[i] * x[i]));
        }
    }

    /// <summary>y = x · Φ(x) = ½ x (1 + erf(x/√2)), vectorised (one fused pass) and threaded over fixed ranges for large spans.</summary>
    public static void GeluErf(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        GeluErfKernel.Forward(x, y[..x.Length]);
    }

    /// <summary>Reference for <see cref="GeluErf"/> (double precision).</summary>
    public static void GeluErfScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1d + Erf(v * InvSqrt2)));
        }
    }

    /// <summary>dx = dy · (Φ(x) + x φ(x)), vectorised.</summary>
    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        Span<float> q = stackalloc float[Chunk];
        Span<float> e = stackalloc float[Chunk];
        const float invSqrt2Pi = 0.3989422804f;
        for (var start = 0; start < x.Length; start += Chunk)
        {
            var n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            HalfErfc(xs, q[..n], e[..n]);
            var gs = dy.Slice(start, n);
            var ds = dx.Slice(start, n);
            for (var i = 0; i < n; i++)
            {
                var cdf = xs[i] >= 0f ? 1f - q[i] : q[i];
                ds[i] = gs[i] * (cdf + (xs[i] * e[i] * invSqrt2Pi));
            }
        }
    }

    /// <summary>Reference for <see cref="GeluErfBackward"/> (double precision).</summary>
    public static void GeluErfBackwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            var cdf = 0.5 * (1d + Erf(v * InvSqrt2));
            var pdf = Math.Exp(-0.5 * v * v) * (TwoOverSqrtPi * InvSqrt2 * 0.5);
            dx[i] = (float)(dy[i] * (cdf + (v * pdf)));
        }
    }

    /// <summary>y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), the "gelu_new" / gelu_pytorch_tanh form, vectorised and threaded over fixed ranges for large spans.</summary>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        GeluTanhKernel.Forward(x, y[..x.Length]);
    }

    /// <summary>Reference for <see cref="GeluTanh"/> (double precision).</summary>
    public static void GeluTanhScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1d + Math.Tanh(SqrtTwoOverPi * (v + (TanhCoefficient * v * v * v)))));
        }
    }

    /// <summary>
    /// Derivative of <see cref="GeluTanh(ReadOnlySpan{float}, Span{float})"/>, vectorised. With u = √(2/π) (x + k x³),
    /// t = tanh(u) and s = σ(2u) (so ½ (1 + t) = s and 1 − t² = 4 s (1 − s), which keeps the tail accurate where t
    /// rounds to ±1): dx = dy · s · (1 + 2 x (1 − s) √(2/π) (1 + 3k x²)).
    /// </summary>
    public static void GeluTanhBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        Span<float> squares = stackalloc float[Chunk];
        Span<float> sigma = stackalloc float[Chunk];
        const float twoC = (float)(2d * SqrtTwoOverPi);
        const float twoCk = (float)(2d * SqrtTwoOverPi * TanhCoefficient);
        const float c = (float)SqrtTwoOverPi;
        const float c3k = (float)(3d * SqrtTwoOverPi * TanhCoefficient);
        for (var start = 0; start < x.Length; start += Chunk)
        {
            var n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            var x2 = squares[..n];
            var s = sigma[..n];
            TensorPrimitives.Multiply(xs, xs, x2);
            TensorPrimitives.Multiply(x2, twoCk, s);
            TensorPrimitives.Add(s, twoC, s);
            TensorPrimitives.Multiply(s, xs, s); // 2u
            TensorPrimitives.Sigmoid(s, s);
            var gs = dy.Slice(start, n);
            var ds = dx.Slice(start, n);
            for (var i = 0; i < n; i++)
            {
                var si = s[i];
                var dInner = c + (c3k * x2[i]);
                ds[i] = gs[i] * si * (1f + (2f * xs[i] * (1f - si) * dInner));
            }
        }
    }

    /// <summary>Reference for <see cref="GeluTanhBackward"/> (double precision).</summary>
    public static void GeluTanhBackwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            var inner = SqrtTwoOverPi * (v + (TanhCoefficient * v * v * v));
            var th = Math.Tanh(inner);
            var dInner = SqrtTwoOverPi * (1d + (3d * TanhCoefficient * v * v));
            dx[i] = (float)(dy[i] * ((0.5 * (1d + th)) + (0.5 * v * (1d - (th * th)) * dInner)));
        }
    }

    /// <summary>y = x · σ(x).</summary>
    public static void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        if (x.IsEmpty)
        {
            return;
        }

        TensorPrimitives.Sigmoid(x, y);
        TensorPrimitives.Multiply(y, x, y);
    }

    /// <summary>dx = dy · σ(x) (1 + x (1 − σ(x))).</summary>
    public static void SiluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        for (var i = 0; i < x.Length; i++)
        {
            var s = 1f / (1f + MathF.Exp(-x[i]));
            dx[i] = dy[i] * s * (1f + (x[i] * (1f - s)));
        }
    }

    /// <summary>y = max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary>dx = dy where x &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(x, dy, dx);
        for (var i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }

    private const int Chunk = 256;

    /// <summary>
    /// q = ½ erfc(|x|/√2) and e = exp(−x²/2) by Abramowitz &amp; Stegun 7.1.26:
    /// erfc(z) ≈ t (a₁ + t (a₂ + t (a₃ + t (a₄ + t a₅)))) e^(−z²), t = 1/(1 + p z).
    /// </summary>
    private static void HalfErfc(ReadOnlySpan<float> x, Span<float> q, Span<float> e)
    {
        if (x.IsEmpty)
        {
            return;
        }

        TensorPrimitives.Abs(x, e);
        TensorPrimitives.Multiply(e, (float)(0.3275911 * InvSqrt2), q);
        TensorPrimitives.Add(q, 1f, q);
        TensorPrimitives.Reciprocal(q, q);                       // t
        Span<float> poly = stackalloc float[x.Length];
        TensorPrimitives.Multiply(q, 1.061405429f, poly);
        TensorPrimitives.Add(poly, -1.453152027f, poly);
        TensorPrimitives.MultiplyAdd(poly, q, 1.421413741f, poly);
        TensorPrimitives.MultiplyAdd(poly, q, -0.284496736f, poly);
        TensorPrimitives.MultiplyAdd(poly, q, 0.254829592f, poly);
        TensorPrimitives.Multiply(poly, q, poly);               // erfc(z) / e^(−z²)
        TensorPrimitives.Multiply(x, x, e);
        TensorPrimitives.Multiply(e, -0.5f, e);
        TensorPrimitives.Exp(e, e);                              // e^(−x²/2) = e^(−z²)
        TensorPrimitives.Multiply(poly, e, q);
        TensorPrimitives.Multiply(q, 0.5f, q);
    }

    private static void CheckBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelGuard.Length(x.Length, dy.Length, nameof(dy));
        KernelGuard.Length(x.Length, dx.Length, nameof(dx));
    }
}
