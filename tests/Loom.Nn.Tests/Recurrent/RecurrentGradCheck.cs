// Central finite differences through a whole recurrent network, in the manner of tests/Loom.Core.Tests/GradCheck.cs:
// the engine computes in float32, the probe loss L = Σ out·R₁ + Σ h_n·R₂ (+ Σ c_n·R₃) is summed in float64, step 1e-2,
// and an element passes when |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|.
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

/// <summary>Compares autograd gradients of a recurrent network with central finite differences.</summary>
internal static class RecurrentGradCheck
{
    private const float Step = 1e-2f;
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-2;

    /// <summary>
    /// Gradients of the probe loss for every leaf: by autograd through <paramref name="analytic"/>, numerically through
    /// <paramref name="numeric"/> (normally the same network). Returns one line per element out of tolerance, and the
    /// number of elements checked.
    /// </summary>
    public static (List<string> Mismatches, int Checked) Run(IReadOnlyList<KeyValuePair<string, Tensor>> leaves, Func<RecurrentOutput> analytic, Func<RecurrentOutput> numeric, ulong seed)
    {
        var probe = analytic();
        var rng = new Generator(seed);
        var r1 = Tensor.Randn(rng, [.. probe.Output.Shape]);
        var r2 = Tensor.Randn(rng, [.. probe.Hidden.Shape]);
        var r3 = probe.Cell is null ? null : Tensor.Randn(rng, [.. probe.Cell.Shape]);

        foreach (var leaf in leaves)
        {
            leaf.Value.ZeroGrad();
        }

        var loss = (probe.Output * r1).Sum() + (probe.Hidden * r2).Sum();
        if (r3 is not null)
        {
            loss += (probe.Cell! * r3).Sum();
        }

        loss.Backward();

        var mismatches = new List<string>();
        var count = 0;
        using (Tensor.NoGrad())
        {
            foreach (var (name, leaf) in leaves)
            {
                var grad = leaf.Grad?.ToArray() ?? new float[leaf.ToArray().Length];
                var values = leaf.AsSpan();
                for (var i = 0; i < values.Length; i++)
                {
                    var original = values[i];
                    values[i] = original + Step;
                    var plus = Loss(numeric(), r1, r2, r3);
                    values[i] = original - Step;
                    var minus = Loss(numeric(), r1, r2, r3);
                    values[i] = original;
                    var expected = (plus - minus) / (2.0 * Step);
                    count++;
                    if (Math.Abs(grad[i] - expected) > AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected)))
                    {
                        mismatches.Add($"{name}[{i}]: autograd {grad[i]:G6}, finite difference {expected:G6}");
                    }
                }
            }
        }

        return (mismatches, count);
    }

    private static double Loss(RecurrentOutput output, Tensor r1, Tensor r2, Tensor? r3) =>
        Dot(output.Output, r1) + Dot(output.Hidden, r2) + (r3 is null ? 0.0 : Dot(output.Cell!, r3));

    private static double Dot(Tensor a, Tensor b)
    {
        var (x, y) = (a.ToArray(), b.ToArray());
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return sum;
    }
}
