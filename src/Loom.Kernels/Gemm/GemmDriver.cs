// The five loops around the micro-kernel from Van Zee and van de Geijn, "BLIS: A Framework for Rapidly
// Instantiating BLAS Functionality" (ACM TOMS 2015), Fig. 2: jc over Nc columns (B block in L3), pc over
// Kc depth (pack B), ic over Mc rows (pack A, L2), jr over Nr columns (B micro-panel in L1), ir over Mr
// rows (micro-kernel). Depth blocks run in order, so every element of C sees the same sequence of FMAs
// whatever rectangle of C a thread is given.
namespace Loom.Kernels;

/// <summary>Cache-blocked GEMM over one rectangle of C for the micro-kernel <typeparamref name="TKernel"/>.</summary>
internal static unsafe class GemmDriver<TKernel>
    where TKernel : struct, IGemmMicroKernel
{
    /// <summary>
    /// Computes rows [i0, i1) and columns [j0, j1) of C. <paramref name="i0"/> must be a multiple of Mr and
    /// <paramref name="j0"/> a multiple of Nr so that tiles fall on the same grid for every partition.
    /// </summary>
    public static void Run(in GemmProblem problem, int i0, int i1, int j0, int j1)
    {
        var mr = TKernel.Mr;
        var nr = TKernel.Nr;
        var buffers = GemmBuffers.ForCurrentThread(TKernel.Mc * TKernel.Kc, TKernel.Kc * TKernel.Nc);
        var edge = stackalloc float[mr * nr];

        for (var jc = j0; jc < j1; jc += TKernel.Nc)
        {
            var nc = Math.Min(TKernel.Nc, j1 - jc);
            for (var pc = 0; pc < problem.K; pc += TKernel.Kc)
            {
                var kc = Math.Min(TKernel.Kc, problem.K - pc);
                var beta = pc == 0 ? problem.Beta : 1f;
                GemmPacking.PackB(problem, pc, kc, jc, nc, nr, buffers.B);
                for (var ic = i0; ic < i1; ic += TKernel.Mc)
                {
                    var mc = Math.Min(TKernel.Mc, i1 - ic);
                    GemmPacking.PackA(problem, ic, mc, pc, kc, mr, buffers.A);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var cols = Math.Min(nr, nc - jr);
                        var b = buffers.B + ((nint)jr * kc);
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var rows = Math.Min(mr, mc - ir);
                            var a = buffers.A + ((nint)ir * kc);
                            var c = problem.C + ((nint)(ic + ir) * problem.Ldc) + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, a, b, c, problem.Ldc, problem.Alpha, beta);
                            }
                            else
                            {
                                TKernel.Run(kc, a, b, edge, nr, 1f, 0f);
                                StoreEdge(edge, nr, c, problem.Ldc, rows, cols, problem.Alpha, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes the valid part of a partial tile with the micro-kernel's own store rule.</summary>
    private static void StoreEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float alpha, float beta)
    {
        for (var r = 0; r < rows; r++)
        {
            var from = tile + (r * nr);
            var to = c + (r * ldc);
            for (var j = 0; j < cols; j++)
            {
                to[j] = beta == 0f ? alpha * from[j] : MathF.FusedMultiplyAdd(alpha, from[j], beta * to[j]);
            }
        }
    }
}
