// numpy pairwise summation: numpy/core/src/umath/loops_utils.h.src (pairwise_sum), as used by np.sum/np.mean/np.average.
namespace Loom.Metrics.Text;

/// <summary>
/// numpy's pairwise summation of a contiguous float64 array (<c>numpy/core/src/umath/loops_utils.h.src</c>,
/// <c>pairwise_sum</c>): plain loop below 8 items, eight accumulators up to 128, halving above. Used where a metric's
/// reference sums with <c>np.sum</c>/<c>np.mean</c>/<c>np.average</c>, so that results match to the last bit.
/// </summary>
internal static class NumpySum
{
    private const int BlockSize = 128;

    /// <summary>Sum in numpy's order.</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += a[i + j];
                }
            }

            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        var n2 = n / 2;
        n2 -= n2 % 8;
        return Sum(a[..n2]) + Sum(a[n2..]);
    }

    /// <summary><c>np.mean</c>: pairwise sum divided by the count (NaN for an empty array, as numpy).</summary>
    public static double Mean(ReadOnlySpan<double> a) => Sum(a) / a.Length;

    /// <summary><c>np.average(a, weights=w)</c>: <c>sum(a*w) / sum(w)</c>.</summary>
    public static double Average(ReadOnlySpan<double> a, ReadOnlySpan<double> weights)
    {
        var products = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            products[i] = a[i] * weights[i];
        }

        return Sum(products) / Sum(weights);
    }
}
