// Python `math.fsum` (exactly rounded sum, Shewchuk's algorithm with CPython's final half-even fix-up).
// Reference: CPython Modules/mathmodule.c `math_fsum`; J. R. Shewchuk, "Adaptive Precision
// Floating-Point Arithmetic and Fast Robust Geometric Predicates" (1997).
namespace Loom.Metrics.Bleu;

/// <summary>Floating-point helpers that reproduce Python's <c>math</c> module bit for bit.</summary>
public static class PyMath
{
    /// <summary>Python <c>math.fsum(values)</c> for finite inputs.</summary>
    public static double Fsum(IEnumerable<double> values)
    {
        var partials = new List<double>();
        foreach (var value in values)
        {
            var x = value;
            var i = 0;
            for (var j = 0; j < partials.Count; j++)
            {
                var y = partials[j];
                if (Math.Abs(x) < Math.Abs(y))
                {
                    (x, y) = (y, x);
                }
                var hi = x + y;
                var lo = y - (hi - x);
                if (lo != 0.0)
                {
                    partials[i++] = lo;
                }
                x = hi;
            }
            partials.RemoveRange(i, partials.Count - i);
            partials.Add(x);
        }

        var n = partials.Count;
        if (n == 0)
        {
            return 0.0;
        }
        var total = partials[--n];
        var rest = 0.0;
        while (n > 0)
        {
            var x = total;
            var y = partials[--n];
            total = x + y;
            var yr = total - x;
            rest = y - yr;
            if (rest != 0.0)
            {
                break;
            }
        }
        // Round half-even correctly when the remaining partials push the tie one way.
        if (n > 0 && ((rest < 0 && partials[n - 1] < 0) || (rest > 0 && partials[n - 1] > 0)))
        {
            var y = rest * 2;
            var x = total + y;
            var yr = x - total;
            if (y == yr)
            {
                total = x;
            }
        }
        return total;
    }
}
