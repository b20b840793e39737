using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

/// <summary>Element-wise comparison of a Loom tensor with a reference of the same shape.</summary>
internal static class RecurrentAssert
{
    /// <summary>Largest |actual − expected|; fails when the shapes differ.</summary>
    public static double MaxAbsDiff(Tensor actual, Tensor expected, string what)
    {
        Assert.True(actual.Shape.SequenceEqual(expected.Shape), $"{what}: shape [{string.Join(", ", actual.Shape)}] vs reference [{string.Join(", ", expected.Shape)}]");
        var (a, e) = (actual.ToArray(), expected.ToArray());
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - e[i]));
        }

        return max;
    }

    /// <summary>Fails unless every element is within <paramref name="tolerance"/> of the reference.</summary>
    public static void Close(Tensor? actual, Tensor expected, double tolerance, string what)
    {
        Assert.NotNull(actual);
        var diff = MaxAbsDiff(actual, expected, what);
        Assert.True(diff <= tolerance, $"{what}: max |Δ| = {diff:G3} > {tolerance:G3}");
    }
}
