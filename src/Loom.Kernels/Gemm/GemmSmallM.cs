// Direct (unpacked) path for a few rows of A against B stored K × N (x·W), where packing the whole weight for a
// single use would triple its memory traffic. It keeps the packed path's order of operations exactly (sequential
// FMAs along depth within each Kc block, then fma(alpha, acc, beta·C)), so a row of C has the same bits whether it
// is computed alone here or inside a large product by GemmDriver. B stored N × K (x·Wᵀ) goes to GemmDotRows.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>GEMM for a few rows of C with B stored K × N (<see cref="Applies"/>), reading B in place with 256-bit FMAs.</summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Largest m sent here; above it packing pays for itself.</summary>
    public const int MaxRows = 4;

    /// <summary>Depth block: equal to every IGemmMicroKernel.Kc, because the blocking fixes the rounding order.</summary>
    private const int KcBlock = 256;

    /// <summary>Columns per unit of work (whole 8-wide vectors).</summary>
    public const int ColumnStep = 32;

    /// <summary>Whether this path serves the problem on the given kernel family (float32 operands only: nothing is packed here).</summary>
    public static bool Applies(in GemmProblem problem, GemmKernel kernel) =>
        problem.Precision == GemmPrecision.Float32 && !problem.TransB && problem.M <= MaxRows && kernel != GemmKernel.Scalar && Avx.IsSupported && Fma.IsSupported;

    /// <summary>Computes columns [j0, j1) of every row of C; the depth blocking is the packed kernels' Kc.</summary>
    /// <remarks>
    /// Each row of B is streamed once per depth block and applied to every row of A, with the running sums of a
    /// column chunk kept in a small stack buffer (float32, exactly as a register holds them).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem problem, int j0, int j1)
    {
        const int chunk = 512;
        var sums = stackalloc float[MaxRows * chunk];
        for (var jc = j0; jc < j1; jc += chunk)
        {
            var width = Math.Min(chunk, j1 - jc);
            for (var pc = 0; pc < problem.K; pc += KcBlock)
            {
                var kc = Math.Min(KcBlock, problem.K - pc);
                var beta = pc == 0 ? problem.Beta : 1f;
                new Span<float>(sums, problem.M * chunk).Clear();
                for (var p = 0; p < kc; p++)
                {
                    var b = problem.B + ((nint)(pc + p) * problem.Ldb) + jc;
                    for (var i = 0; i < problem.M; i++)
                    {
                        var a = RowOfA(problem, i, pc, out var aStep);
                        var av = a[p * aStep];
                        var sum = sums + (i * chunk);
                        var x = 0;
                        for (; x + 8 <= width; x += 8)
                        {
                            Avx.Store(sum + x, Fma.MultiplyAdd(Vector256.Create(av), Avx.LoadVector256(b + x), Avx.LoadVector256(sum + x)));
                        }

                        for (; x < width; x++)
                        {
                            sum[x] = MathF.FusedMultiplyAdd(av, b[x], sum[x]);
                        }
                    }
                }

                for (var i = 0; i < problem.M; i++)
                {
                    var c = problem.C + ((nint)i * problem.Ldc) + jc;
                    var sum = sums + (i * chunk);
                    var x = 0;
                    for (; x + 8 <= width; x += 8)
                    {
                        Store(c + x, Avx.LoadVector256(sum + x), problem.Alpha, beta);
                    }

                    for (; x < width; x++)
                    {
                        c[x] = StoreRule(sum[x], c[x], problem.Alpha, beta);
                    }
                }
            }
        }
    }

    /// <summary>Row i of op(A) from depth <paramref name="pc"/> on, with the distance between its elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* RowOfA(in GemmProblem problem, int i, int pc, out nint step)
    {
        step = problem.TransA ? problem.Lda : 1;
        return problem.TransA ? problem.A + ((nint)pc * problem.Lda) + i : problem.A + ((nint)i * problem.Lda) + pc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float StoreRule(float acc, float old, float alpha, float beta) =>
        beta == 0f ? alpha * acc : MathF.FusedMultiplyAdd(alpha, acc, beta * old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> acc, float alpha, float beta)
    {
        var result = beta == 0f
            ? Vector256.Create(alpha) * acc
            : Fma.MultiplyAdd(Vector256.Create(alpha), acc, Vector256.Create(beta) * Avx.LoadVector256(c));
        Avx.Store(c, result);
    }
}
