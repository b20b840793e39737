// Root-mean-square layer normalisation of one row (Zhang & Sennrich 2019, "Root Mean Square Layer Normalization"),
// as in HF transformers LlamaRMSNorm: y = x · rsqrt(mean(x²) + eps) · weight. *Scalar methods are the reference.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>RMS norm of one row.</summary>
public static class RmsNormKernel
{
    /// <summary>y = x · rstd · weight with rstd = 1/√(mean(x²) + eps); weight may be empty (treated as 1).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y, out float rstd)
    {
        var n = x.Length;
        KernelGuard.Length(n, y.Length, nameof(y));
        if (!weight.IsEmpty)
        {
            KernelGuard.Length(n, weight.Length, nameof(weight));
        }

        var meanSquare = n == 0 ? 0f : TensorPrimitives.SumOfSquares(x) / n;
        rstd = 1f / MathF.Sqrt(meanSquare + eps);
        TensorPrimitives.Multiply(x, rstd, y);
        if (!weight.IsEmpty)
        {
            TensorPrimitives.Multiply(y, weight, y);
        }
    }

    /// <summary>Reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float eps, Span<float> y, out float rstd)
    {
        var n = x.Length;
        var sq = 0d;
        foreach (var v in x)
        {
            sq += (double)v * v;
        }

        var r = 1d / Math.Sqrt((n == 0 ? 0d : sq / n) + eps);
        for (var i = 0; i < n; i++)
        {
            y[i] = (float)(x[i] * r * (weight.IsEmpty ? 1d : weight[i]));
        }

        rstd = (float)r;
    }

    /// <summary>
    /// dx = rstd · (g − x · rstd² · mean(g ⊙ x)) with g = dy ⊙ weight; adds dy ⊙ x · rstd into
    /// <paramref name="weightGrad"/> (may be empty). dx must not alias dy.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float rstd,
        Span<float> dx, Span<float> weightGrad)
    {
        var n = x.Length;
        KernelGuard.Length(n, dy.Length, nameof(dy));
        KernelGuard.Length(n, dx.Length, nameof(dx));
        if (n == 0)
        {
            return;
        }

        if (!weightGrad.IsEmpty)
        {
            // weightGrad += dy ⊙ x · rstd, using dx as scratch before it is written.
            TensorPrimitives.Multiply(dy, x, dx);
            TensorPrimitives.MultiplyAdd(dx, rstd, weightGrad, weightGrad);
        }

        if (weight.IsEmpty)
        {
            dy.CopyTo(dx);
        }
        else
        {
            TensorPrimitives.Multiply(dy, weight, dx);
        }

        var meanGx = TensorPrimitives.Dot(dx, x) / n;
        TensorPrimitives.Multiply(dx, rstd, dx);
        TensorPrimitives.MultiplyAdd(x, -rstd * rstd * rstd * meanGx, dx, dx);
    }

    /// <summary>Reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        float rstd, Span<float> dx, Span<float> weightGrad)
    {
        var n = x.Length;
        var sumGx = 0d;
        for (var i = 0; i < n; i++)
        {
            sumGx += dy[i] * (weight.IsEmpty ? 1d : weight[i]) * x[i];
        }

        double r = rstd;
        for (var i = 0; i < n; i++)
        {
            var g = dy[i] * (weight.IsEmpty ? 1d : weight[i]);
            dx[i] = (float)((r * g) - (x[i] * r * r * r * sumGx / n));
            if (!weightGrad.IsEmpty)
            {
                weightGrad[i] += (float)(dy[i] * x[i] * r);
            }
        }
    }
}
