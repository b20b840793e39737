// Softmax cross-entropy of one row of logits with label smoothing, as defined by torch.nn.functional.cross_entropy
// (Szegedy et al. 2016 for label smoothing): loss = (1 − ε)(lse − x_t) + ε (lse − mean(x)), and its gradient
// softmax(x) − (1 − ε) onehot(t) − ε / V. Fused so the probabilities are computed once.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>Fused log-softmax + negative log-likelihood for one row.</summary>
public static class CrossEntropyKernel
{
    /// <summary>Returns the loss of one row and writes d loss / d logits into <paramref name="grad"/>.</summary>
    public static float Forward(ReadOnlySpan<float> logits, int target, float smoothing, Span<float> grad)
    {
        var v = logits.Length;
        KernelGuard.Length(v, grad.Length, nameof(grad));
        if ((uint)target >= (uint)v)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"Target class must be in [0, {v}).");
        }

        var max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, grad);
        TensorPrimitives.Exp(grad, grad);
        var sum = TensorPrimitives.Sum(grad);
        var lse = max + MathF.Log(sum);
        TensorPrimitives.Multiply(grad, 1f / sum, grad);
        grad[target] -= 1f - smoothing;
        var loss = (1f - smoothing) * (lse - logits[target]);
        if (smoothing != 0f)
        {
            TensorPrimitives.Subtract(grad, smoothing / v, grad);
            loss += smoothing * (lse - (TensorPrimitives.Sum(logits) / v));
        }

        return loss;
    }

    /// <summary>Reference for <see cref="Forward"/> (double accumulation, plain loops).</summary>
    public static float ForwardScalar(ReadOnlySpan<float> logits, int target, float smoothing, Span<float> grad)
    {
        var v = logits.Length;
        double max = float.NegativeInfinity, sum = 0, total = 0;
        foreach (var x in logits)
        {
            max = Math.Max(max, x);
        }

        foreach (var x in logits)
        {
            sum += Math.Exp(x - max);
            total += x;
        }

        var lse = max + Math.Log(sum);
        for (var i = 0; i < v; i++)
        {
            var p = Math.Exp(logits[i] - lse);
            grad[i] = (float)(p - (i == target ? 1d - smoothing : 0d) - ((double)smoothing / v));
        }

        return (float)(((1d - smoothing) * (lse - logits[target])) + (smoothing * (lse - (total / v))));
    }
}
