// Direct (unpacked) path for a few rows of A, e.g. one token per step in generation, where packing the whole
// weight for a single use would triple its memory traffic. It keeps the packed path's order of operations
// exactly (sequential FMAs along depth within each Kc block, then fma(alpha, acc, beta·C)), so a row of C
// has the same bits whether it is computed alone here or inside a large product by GemmDriver.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>GEMM for a few rows of C (<see cref="Applies"/>), reading B in place with 256-bit FMAs.</summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Largest m sent here when B is stored K × N; above it packing pays for itself.</summary>
    public const int MaxRows = 4;

    /// <summary>
    /// Largest m sent here when B is stored N × K: each row of A repeats the register transposes, so the packed
    /// path (which transposes B once) wins sooner (measured: m = 1 ≈ 1.9× faster here, m = 4 ≈ 0.8×).
    /// </summary>
    public const int MaxRowsTransposedB = 2;

    /// <summary>Depth block: equal to every IGemmMicroKernel.Kc, because the blocking fixes the rounding order.</summary>
    private const int KcBlock = 256;

    /// <summary>Columns per unit of work (whole 8-wide vectors).</summary>
    public const int ColumnStep = 32;

    /// <summary>Whether this path serves the problem on the given kernel family.</summary>
    public static bool Applies(in GemmProblem problem, GemmKernel kernel) =>
        problem.M <= (problem.TransB ? MaxRowsTransposedB : MaxRows) && kernel != GemmKernel.Scalar && Avx.IsSupported && Fma.IsSupported;

    /// <summary>Computes columns [j0, j1) of every row of C; the depth blocking is the packed kernels' Kc.</summary>
    public static void Run(in GemmProblem problem, int j0, int j1)
    {
        if (problem.TransB)
        {
            RunWithRowsOfB(problem, j0, j1);
        }
        else
        {
            RunWithColumnsOfB(problem, j0, j1);
        }
    }

    /// <summary>
    /// B stored N × K: 8 rows of B at a time (8 × K floats, cache-resident while every row of A uses them),
    /// transposed in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunWithRowsOfB(in GemmProblem problem, int j0, int j1)
    {
        for (var j = j0; j < j1; j += 8)
        {
            var width = Math.Min(8, j1 - j);
            for (var i = 0; i < problem.M; i++)
            {
                var c = problem.C + ((nint)i * problem.Ldc) + j;
                for (var pc = 0; pc < problem.K; pc += KcBlock)
                {
                    var kc = Math.Min(KcBlock, problem.K - pc);
                    var beta = pc == 0 ? problem.Beta : 1f;
                    var a = RowOfA(problem, i, pc, out var aStep);
                    var b = problem.B + ((nint)j * problem.Ldb) + pc;
                    if (width == 8)
                    {
                        Store(c, DotEightRows(a, aStep, b, problem.Ldb, kc), problem.Alpha, beta);
                        continue;
                    }

                    for (var x = 0; x < width; x++)
                    {
                        var acc = 0f;
                        for (var p = 0; p < kc; p++)
                        {
                            acc = MathF.FusedMultiplyAdd(a[p * aStep], b[(x * problem.Ldb) + p], acc);
                        }

                        c[x] = StoreRule(acc, c[x], problem.Alpha, beta);
                    }
                }
            }
        }
    }

    /// <summary>
    /// B stored K × N: each row of B is streamed once per depth block and applied to every row of A, with the
    /// running sums of a column chunk kept in a small stack buffer (float32, exactly as a register holds them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunWithColumnsOfB(in GemmProblem problem, int j0, int j1)
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

    /// <summary>Σp a[p]·B[p, 0..8) with B rows <paramref name="ldb"/> apart (stored K × N).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AxpyEightColumns(float* a, nint aStep, float* b, nint ldb, int kc)
    {
        var acc = Vector256<float>.Zero;
        for (var p = 0; p < kc; p++)
        {
            acc = Fma.MultiplyAdd(Vector256.Create(a[p * aStep]), Avx.LoadVector256(b + (p * ldb)), acc);
        }

        return acc;
    }

    /// <summary>
    /// Σp a[p]·B[r, p] for the 8 rows r of B stored N × K, <paramref name="ldb"/> apart: 8 × 8 blocks are
    /// transposed in registers so that each step is one FMA across the 8 outputs, in depth order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> DotEightRows(float* a, nint aStep, float* b, nint ldb, int kc)
    {
        var acc = Vector256<float>.Zero;
        var p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            GemmPacking.Transpose8x8(b + p, ldb, out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
            acc = Fma.MultiplyAdd(Vector256.Create(a[p * aStep]), t0, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 1) * aStep]), t1, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 2) * aStep]), t2, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 3) * aStep]), t3, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 4) * aStep]), t4, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 5) * aStep]), t5, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 6) * aStep]), t6, acc);
            acc = Fma.MultiplyAdd(Vector256.Create(a[(p + 7) * aStep]), t7, acc);
        }

        for (; p < kc; p++)
        {
            var column = Vector256.Create(
                b[p], b[ldb + p], b[(2 * ldb) + p], b[(3 * ldb) + p],
                b[(4 * ldb) + p], b[(5 * ldb) + p], b[(6 * ldb) + p], b[(7 * ldb) + p]);
            acc = Fma.MultiplyAdd(Vector256.Create(a[p * aStep]), column, acc);
        }

        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> acc, float alpha, float beta)
    {
        var result = beta == 0f
            ? Vector256.Create(alpha) * acc
            : Fma.MultiplyAdd(Vector256.Create(alpha), acc, Vector256.Create(beta) * Avx.LoadVector256(c));
        Avx.Store(c, result);
    }
}
