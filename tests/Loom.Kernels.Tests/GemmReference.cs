namespace Loom.Kernels.Tests;

/// <summary>
/// Float64 reference for <see cref="Gemm"/>: the textbook triple loop, plus the a-priori rounding-error
/// bound of a float32 evaluation (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1):
/// |computed − exact| ≤ γ(k+2) · (|alpha| Σ|a||b| + |beta| |c|), γ(n) = n·u / (1 − n·u), u = 2⁻²⁴.
/// </summary>
internal static class GemmReference
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>Exact (float64) result and error bound for every element of the m × n block of C.</summary>
    public static (double[] Expected, double[] Bound) Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var expected = new double[m * n];
        var bound = new double[m * n];
        var gamma = (k + 2) * UnitRoundoff / (1 - ((k + 2) * UnitRoundoff));
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    double av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    double bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }

                double old = beta == 0f ? 0 : c[(i * ldc) + j];
                expected[(i * n) + j] = (alpha * sum) + (beta * old);
                bound[(i * n) + j] = gamma * ((Math.Abs(alpha) * magnitude) + Math.Abs(beta * old));
            }
        }

        return (expected, bound);
    }
}
