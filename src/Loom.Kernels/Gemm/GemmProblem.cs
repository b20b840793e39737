namespace Loom.Kernels;

/// <summary>
/// One validated GEMM call with its operands pinned: C = alpha · op(A) · op(B) + beta · C, row-major.
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public GemmProblem(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmPrecision precision = GemmPrecision.Float32)
    {
        TransA = transA;
        TransB = transB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        Beta = beta;
        C = c;
        Ldc = ldc;
        Precision = precision;
    }

    public bool TransA { get; }

    public bool TransB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public float Alpha { get; }

    public float* A { get; }

    public nint Lda { get; }

    public float* B { get; }

    public nint Ldb { get; }

    public float Beta { get; }

    public float* C { get; }

    public nint Ldc { get; }

    /// <summary>Whether the operands are rounded to bfloat16 as they are packed.</summary>
    public GemmPrecision Precision { get; }
}
