// Pointwise activations and their derivatives over spans: GELU in the exact erf form and the tanh approximation
// (Hendrycks & Gimpel 2016, "Gaussian Error Linear Units"; formulas as in PyTorch torch.nn.functional.gelu),
// SiLU (Elfwing et al. 2017), ReLU and erf. erf uses the rational approximation of W. J. Cody (1969) for |x| < 0.5
// and the complementary Chebyshev fit from Numerical Recipes (erfc, fractional error < 1.2e-7) beyond,
// evaluated in double so the float result is correctly rounded to within an ulp or two.
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

    /// <summary>y = x · Φ(x) = ½ x (1 + erf(x/√2)).</summary>
    public static void GeluErf(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1d + Erf(v * InvSqrt2)));
        }
    }

    /// <summary>dx = dy · (Φ(x) + x φ(x)).</summary>
    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
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

    /// <summary>y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), the "gelu_new" / gelu_pytorch_tanh form.</summary>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1d + Math.Tanh(SqrtTwoOverPi * (v + (TanhCoefficient * v * v * v)))));
        }
    }

    /// <summary>Derivative of <see cref="GeluTanh(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static void GeluTanhBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
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

    private static void CheckBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelGuard.Length(x.Length, dy.Length, nameof(dy));
        KernelGuard.Length(x.Length, dx.Length, nameof(dx));
    }
}
