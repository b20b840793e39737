// Layer normalisation over one row (Ba, Kiros & Hinton 2016, "Layer Normalization"), forward and backward as in
// karpathy/llm.c train_gpt2.c layernorm_forward / layernorm_backward. Variance is the biased (population) one,
// as in torch.nn.LayerNorm. *Scalar methods are double-accumulating loops used as the test reference.
using System.Buffers;
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>Layer norm of one row: y = (x − mean) · rstd · weight + bias, rstd = 1/√(var + eps).</summary>
public static class LayerNormKernel
{
    /// <summary>Normalises <paramref name="x"/> into <paramref name="y"/>; weight/bias may be empty (treated as 1/0).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float eps,
        Span<float> y, out float mean, out float rstd)
    {
        var n = x.Length;
        KernelGuard.Length(n, y.Length, nameof(y));
        CheckAffine(n, weight, bias);
        mean = n == 0 ? 0f : TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, y);
        var variance = n == 0 ? 0f : TensorPrimitives.SumOfSquares<float>(y) / n;
        rstd = 1f / MathF.Sqrt(variance + eps);
        TensorPrimitives.Multiply(y, rstd, y);
        if (!weight.IsEmpty)
        {
            TensorPrimitives.Multiply(y, weight, y);
        }

        if (!bias.IsEmpty)
        {
            TensorPrimitives.Add(y, bias, y);
        }
    }

    /// <summary>Reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        float eps, Span<float> y, out float mean, out float rstd)
    {
        var n = x.Length;
        var sum = 0d;
        foreach (var v in x)
        {
            sum += v;
        }

        var m = n == 0 ? 0d : sum / n;
        var sq = 0d;
        foreach (var v in x)
        {
            sq += (v - m) * (v - m);
        }

        var r = 1d / Math.Sqrt((n == 0 ? 0d : sq / n) + eps);
        for (var i = 0; i < n; i++)
        {
            var w = weight.IsEmpty ? 1d : weight[i];
            var b = bias.IsEmpty ? 0d : bias[i];
            y[i] = (float)(((x[i] - m) * r * w) + b);
        }

        mean = (float)m;
        rstd = (float)r;
    }

    /// <summary>
    /// dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ weight; adds dy ⊙ x̂ into
    /// <paramref name="weightGrad"/> and dy into <paramref name="biasGrad"/> (either may be empty).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        float mean, float rstd, Span<float> dx, Span<float> weightGrad, Span<float> biasGrad)
    {
        var n = x.Length;
        KernelGuard.Length(n, dy.Length, nameof(dy));
        KernelGuard.Length(n, dx.Length, nameof(dx));
        if (n == 0)
        {
            return;
        }

        var rented = ArrayPool<float>.Shared.Rent(2 * n);
        var xHat = rented.AsSpan(0, n);
        var g = rented.AsSpan(n, n);
        TensorPrimitives.Subtract(x, mean, xHat);
        TensorPrimitives.Multiply(xHat, rstd, xHat);
        if (weight.IsEmpty)
        {
            dy.CopyTo(g);
        }
        else
        {
            TensorPrimitives.Multiply(dy, weight, g);
        }

        if (!weightGrad.IsEmpty)
        {
            TensorPrimitives.MultiplyAdd(dy, xHat, weightGrad, weightGrad);
        }

        if (!biasGrad.IsEmpty)
        {
            TensorPrimitives.Add(biasGrad, dy, biasGrad);
        }

        var meanG = TensorPrimitives.Sum<float>(g) / n;
        var meanGx = TensorPrimitives.Dot(g, xHat) / n;
        // dx = rstd·(g − meanG) − rstd·meanGx·x̂
        TensorPrimitives.Subtract(g, meanG, dx);
        TensorPrimitives.Multiply(dx, rstd, dx);
        TensorPrimitives.MultiplyAdd(xHat, -rstd * meanGx, dx, dx);
        ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>Reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        float mean, float rstd, Span<float> dx, Span<float> weightGrad, Span<float> biasGrad)
    {
        var n = x.Length;
        double sumG = 0, sumGx = 0;
        for (var i = 0; i < n; i++)
        {
            var xHat = (x[i] - (double)mean) * rstd;
            var g = dy[i] * (weight.IsEmpty ? 1d : weight[i]);
            sumG += g;
            sumGx += g * xHat;
        }

        for (var i = 0; i < n; i++)
        {
            var xHat = (x[i] - (double)mean) * rstd;
            var g = dy[i] * (weight.IsEmpty ? 1d : weight[i]);
            dx[i] = (float)(rstd * (g - (sumG / n) - (xHat * sumGx / n)));
            if (!weightGrad.IsEmpty)
            {
                weightGrad[i] += (float)(dy[i] * xHat);
            }

            if (!biasGrad.IsEmpty)
            {
                biasGrad[i] += dy[i];
            }
        }
    }

    private static void CheckAffine(int n, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        if (!weight.IsEmpty)
        {
            KernelGuard.Length(n, weight.Length, nameof(weight));
        }

        if (!bias.IsEmpty)
        {
            KernelGuard.Length(n, bias.Length, nameof(bias));
        }
    }
}
