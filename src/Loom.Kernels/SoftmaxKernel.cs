// Row softmax and log-softmax, forward and backward, in the numerically stable "subtract the row maximum" form
// (as in PyTorch's aten/src/ATen/native/cpu/SoftMaxKernel.cpp). Vectorised through TensorPrimitives; the *Scalar
// methods are plain loops with double accumulation that the tests use as the reference.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>Softmax and log-softmax over one contiguous row.</summary>
public static class SoftmaxKernel
{
    /// <summary>y = exp(x − max x) / Σ exp(x − max x). A row of equal values (e.g. fully masked) gives a uniform row.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        if (x.Length == 0)
        {
            return;
        }

        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
    }

    /// <summary>Reference for <see cref="Forward"/>.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        var (max, sum) = MaxAndExpSum(x);

        for (var i = 0; i < x.Length; i++)
        {
            y[i] = (float)(Math.Exp(x[i] - max) / sum);
        }
    }

    /// <summary>dx = y ⊙ (dy − Σ dy ⊙ y), with y the softmax output. dx may alias dy.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelGuard.Length(y.Length, dy.Length, nameof(dy));
        KernelGuard.Length(y.Length, dx.Length, nameof(dx));
        var dot = TensorPrimitives.Dot(dy, y);
        TensorPrimitives.Subtract(dy, dot, dx);
        TensorPrimitives.Multiply(dx, y, dx);
    }

    /// <summary>Reference for <see cref="Backward"/>.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        var dot = 0d;
        for (var i = 0; i < y.Length; i++)
        {
            dot += (double)dy[i] * y[i];
        }

        for (var i = 0; i < y.Length; i++)
        {
            dx[i] = (float)(y[i] * (dy[i] - dot));
        }
    }

    /// <summary>y = x − max x − log Σ exp(x − max x).</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        if (x.Length == 0)
        {
            return;
        }

        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        var logSum = MathF.Log(TensorPrimitives.Sum(y));
        TensorPrimitives.Subtract(x, max + logSum, y);
    }

    /// <summary>Reference for <see cref="LogForward"/>.</summary>
    public static void LogForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        KernelGuard.Length(x.Length, y.Length, nameof(y));
        var (max, sum) = MaxAndExpSum(x);

        var logSum = Math.Log(sum);
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = (float)(x[i] - max - logSum);
        }
    }

    /// <summary>dx = dy − exp(y) · Σ dy, with y the log-softmax output. dx must not alias y.</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        KernelGuard.Length(y.Length, dy.Length, nameof(dy));
        KernelGuard.Length(y.Length, dx.Length, nameof(dx));
        var sum = TensorPrimitives.Sum(dy);
        if (dx.Overlaps(dy))
        {
            for (var i = 0; i < y.Length; i++)
            {
                dx[i] = dy[i] - (MathF.Exp(y[i]) * sum);
            }

            return;
        }

        TensorPrimitives.Exp(y, dx);
        TensorPrimitives.MultiplyAdd(dx, -sum, dy, dx);
    }

    /// <summary>Reference for <see cref="LogBackward"/>.</summary>
    public static void LogBackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        var sum = 0d;
        foreach (var v in dy)
        {
            sum += v;
        }

        for (var i = 0; i < y.Length; i++)
        {
            dx[i] = (float)(dy[i] - (Math.Exp(y[i]) * sum));
        }
    }

    /// <summary>The row maximum and Σ exp(x − max) in double precision, shared by the scalar references.</summary>
    private static (float Max, double Sum) MaxAndExpSum(ReadOnlySpan<float> x)
    {
        var max = float.NegativeInfinity;
        foreach (var v in x)
        {
            max = MathF.Max(max, v);
        }

        var sum = 0d;
        foreach (var v in x)
        {
            sum += Math.Exp(v - max);
        }

        return (max, sum);
    }
}
