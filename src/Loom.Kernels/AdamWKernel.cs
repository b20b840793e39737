// One AdamW step (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization") with the exact operation order of
// torch.optim.AdamW's single-tensor path in PyTorch 1.13 (torch/optim/adamw.py, foreach=False, the version behind
// fixtures/train): p ← p·(1 − lr·λ); m ← m·β₁ + (1 − β₁)·g; v ← v·β₂ + (1 − β₂)·g·g; p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
// Step uses Vector<float> (separate multiplies and adds, no FMA, so it is bit-identical to StepScalar).
using System.Numerics;

namespace Loom.Kernels;

/// <summary>AdamW update of one parameter tensor in place.</summary>
public static class AdamWKernel
{
    /// <summary>Updates <paramref name="parameter"/>, <paramref name="m"/> and <paramref name="v"/> for step number <paramref name="step"/> (1-based).</summary>
    public static void Step(Span<float> parameter, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, AdamWSettings settings, int step)
    {
        var c = Coefficients.Of(parameter.Length, grad, m, v, settings, step);
        var i = 0;
        var width = Vector<float>.Count;
        for (; i + width <= parameter.Length; i += width)
        {
            var g = new Vector<float>(grad.Slice(i, width));
            var p = new Vector<float>(parameter.Slice(i, width)) * c.Decay;
            var mv = new Vector<float>(m.Slice(i, width));
            mv = (mv * c.Beta1) + (g * c.OneMinusBeta1);
            var vv = (new Vector<float>(v.Slice(i, width)) * c.Beta2) + (g * c.OneMinusBeta2 * g);
            var denom = (Vector.SquareRoot(vv) / c.Bias2Sqrt) + new Vector<float>(c.Eps);
            p += mv * c.NegStepSize / denom;
            p.CopyTo(parameter.Slice(i, width));
            mv.CopyTo(m.Slice(i, width));
            vv.CopyTo(v.Slice(i, width));
        }

        Tail(parameter, grad, m, v, c, i);
    }

    /// <summary>Below this many elements per thread <see cref="StepParallel"/> stays on the calling thread.</summary>
    private const int MinElementsPerPart = 1 << 16;

    /// <summary>
    /// <see cref="Step"/> over up to <paramref name="degreeOfParallelism"/> contiguous element ranges at once. The update
    /// is elementwise and <see cref="Step"/> gives the same bits as <see cref="StepScalar"/> for every element, so the
    /// result does not depend on the number of threads or on how the ranges are cut.
    /// </summary>
    public static unsafe void StepParallel(Span<float> parameter, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, AdamWSettings settings, int step,
        int degreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        var n = parameter.Length;
        _ = Coefficients.Of(n, grad, m, v, settings, step); // validates lengths and step before any thread starts
        var parts = Math.Clamp(n / MinElementsPerPart, 1, degreeOfParallelism);
        if (parts == 1)
        {
            Step(parameter, grad, m, v, settings, step);
            return;
        }

        fixed (float* pp = parameter)
        fixed (float* pg = grad)
        fixed (float* pm = m)
        fixed (float* pv = v)
        {
            var (p0, g0, m0, v0) = ((nint)pp, (nint)pg, (nint)pm, (nint)pv);
            Parallel.For(0, parts, part =>
            {
                var start = (int)((long)part * n / parts);
                var length = (int)((long)(part + 1) * n / parts) - start;
                Step(new Span<float>((float*)p0 + start, length), new ReadOnlySpan<float>((float*)g0 + start, length),
                    new Span<float>((float*)m0 + start, length), new Span<float>((float*)v0 + start, length), settings, step);
            });
        }
    }

    /// <summary>Reference for <see cref="Step"/>.</summary>
    public static void StepScalar(Span<float> parameter, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, AdamWSettings settings, int step) =>
        Tail(parameter, grad, m, v, Coefficients.Of(parameter.Length, grad, m, v, settings, step), 0);

    private static void Tail(Span<float> parameter, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Coefficients c, int start)
    {
        for (var i = start; i < parameter.Length; i++)
        {
            var g = grad[i];
            var p = parameter[i] * c.Decay;
            var mi = (m[i] * c.Beta1) + (g * c.OneMinusBeta1);
            var vi = (v[i] * c.Beta2) + (g * c.OneMinusBeta2 * g);
            var denom = (MathF.Sqrt(vi) / c.Bias2Sqrt) + c.Eps;
            parameter[i] = p + (mi * c.NegStepSize / denom);
            m[i] = mi;
            v[i] = vi;
        }
    }

    private readonly record struct Coefficients(float Decay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float Bias2Sqrt, float Eps, float NegStepSize)
    {
        public static Coefficients Of(int n, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, AdamWSettings s, int step)
        {
            KernelGuard.Length(n, grad.Length, nameof(grad));
            KernelGuard.Length(n, m.Length, nameof(m));
            KernelGuard.Length(n, v.Length, nameof(v));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
            // Python computes these scalars in double; torch casts them to float when they meet a float tensor.
            var bias1 = 1d - Math.Pow(s.Beta1, step);
            var bias2 = 1d - Math.Pow(s.Beta2, step);
            return new Coefficients(
                (float)(1d - (s.LearningRate * s.WeightDecay)),
                (float)s.Beta1,
                (float)(1d - s.Beta1),
                (float)s.Beta2,
                (float)(1d - s.Beta2),
                (float)Math.Sqrt(bias2),
                (float)s.Eps,
                (float)(-s.LearningRate / bias1));
        }
    }
}
