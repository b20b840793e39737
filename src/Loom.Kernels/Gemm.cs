namespace Loom.Kernels;

/// <summary>
/// Single-precision general matrix multiply: C = alpha · op(A) · op(B) + beta · C, row-major.
/// op(X) is X or Xᵀ; a transposed operand is read in place, never copied by the caller.
/// </summary>
public static class Gemm
{
    /// <param name="transA">A is stored (K × M) and used transposed.</param>
    /// <param name="transB">B is stored (N × K) and used transposed (the x·Wᵀ case of a Linear layer).</param>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    var av = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    var bv = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                ref var cv = ref c[(i * ldc) + j];
                cv = (alpha * sum) + (beta == 0f ? 0f : beta * cv);
            }
        }
    }
}
