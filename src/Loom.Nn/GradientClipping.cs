// Gradient clipping by global L2 norm with the semantics of torch.nn.utils.clip_grad_norm_ (torch 1.13):
// total = ‖(‖g_i‖₂)_i‖₂; coef = min(1, max_norm / (total + 1e-6)); every gradient is multiplied by coef.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Global-norm gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their global L2 norm is at most
    /// <paramref name="maxNorm"/>, and returns the norm measured before clipping. Parameters without a gradient are
    /// ignored. A non-finite norm throws (a NaN/∞ gradient must not silently poison the parameters).
    /// </summary>
    public static float ClipGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        var withGrad = parameters.Where(p => p.Grad is not null).ToList();
        var sumOfSquares = 0d;
        foreach (var p in withGrad)
        {
            var norm = Norm(p.Grad!);
            sumOfSquares += (double)norm * norm;
        }

        var total = (float)Math.Sqrt(sumOfSquares);
        if (!float.IsFinite(total))
        {
            throw new ArithmeticException($"ClipGlobalNorm: the gradient norm is {total} (expected a finite value); a gradient holds NaN or infinity.");
        }

        var coefficient = Math.Min(1f, maxNorm / (total + 1e-6f));
        foreach (var p in withGrad)
        {
            var grad = p.Grad!.Contiguous();
            if (!ReferenceEquals(grad, p.Grad))
            {
                p.Grad = grad = Tensor.FromArray(grad.ToArray(), [.. grad.Shape]);
            }

            foreach (ref var g in grad.AsSpan())
            {
                g *= coefficient;
            }
        }

        return total;
    }

    /// <summary>‖t‖₂ of one tensor, accumulated in double and rounded to float (as torch's per-tensor norm is).</summary>
    public static float Norm(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var sum = 0d;
        foreach (var x in tensor.ToArray())
        {
            sum += (double)x * x;
        }

        return (float)Math.Sqrt(sum);
    }
}
