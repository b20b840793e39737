// Central finite-difference gradient checker in the style of torch.autograd.gradcheck and ggml's test-backend-ops:
// the scalar L = Σ f(x) ⊙ W (W a fixed random weight, so no symmetry hides an error) is differentiated by autograd
// and by (L(x + h) − L(x − h)) / 2h per element. The engine computes in float32; the checker forms L and the
// differences in float64. Inputs are chosen well inside smooth regions, h = 1e-2, and an analytic value a passes
// against the numeric value n when |a − n| ≤ 1e-3 + 1e-2·|n| (truncation O(h²) and float32 round-off stay below a
// tenth of that; GradCheckTests.DetectsAFivePercentError shows a wrong rule fails).
using Loom.Core;
using Loom.Core.Autograd;

namespace Loom.Core.Tests;

internal static class GradCheck
{
    public const double Step = 1e-2;
    public const double AbsoluteTolerance = 1e-3;
    public const double RelativeTolerance = 1e-2;

    /// <summary>Largest |a − n| / (atol + rtol·|n|) over all elements of all inputs: ≤ 1 passes.</summary>
    public static double WorstRatio(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.Grad = null;
        }

        var output = f(inputs);
        var weights = Tensor.Rand(new Generator(12345), [.. output.Shape]).Affine(2f, -1f);
        (output * weights).Sum().Backward();
        var w = weights.ToArray();
        var worst = 0d;
        foreach (var x in inputs)
        {
            var analytic = x.Grad?.ToArray() ?? new float[x.Count];
            var data = x.AsSpan();
            for (var i = 0; i < x.Count; i++)
            {
                var saved = data[i];
                data[i] = (float)(saved + Step);
                var plus = Loss(f, inputs, w);
                data[i] = (float)(saved - Step);
                var minus = Loss(f, inputs, w);
                data[i] = saved;
                var numeric = (plus - minus) / (2 * Step);
                var ratio = Math.Abs(analytic[i] - numeric) / (AbsoluteTolerance + (RelativeTolerance * Math.Abs(numeric)));
                worst = Math.Max(worst, ratio);
            }
        }

        return worst;
    }

    /// <summary>Fails the test when any gradient element is outside tolerance.</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var ratio = WorstRatio(f, inputs);
        Assert.True(ratio <= 1d, $"gradient check failed: worst |analytic − numeric| is {ratio:F2}× the tolerance");
    }

    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] w)
    {
        using (Tensor.NoGrad())
        {
            var y = f(inputs).ToArray();
            var sum = 0d;
            for (var i = 0; i < y.Length; i++)
            {
                sum += (double)y[i] * w[i];
            }

            return sum;
        }
    }

    /// <summary>The op kinds in the graph behind <paramref name="output"/> (record names; unary ops as "UnaryOp.Kind").</summary>
    public static HashSet<string> KindsIn(Tensor output)
    {
        var kinds = new HashSet<string>();
        var stack = new Stack<Tensor>([output]);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (t.Op is not { } op || !seen.Add(t))
            {
                continue;
            }

            kinds.Add(op is UnaryOp u ? $"{nameof(UnaryOp)}.{u.Kind}" : op.GetType().Name);

            foreach (var input in op.Inputs)
            {
                stack.Push(input);
            }
        }

        return kinds;
    }
}
