// Static, shape-determined work split in the spirit of Smith et al., "Anatomy of High-Performance
// Many-Threaded Matrix Multiplication" (IPDPS 2014): threads take disjoint slabs of C along the jc/jr
// (columns) or ic/ir (rows) loops, each packing its own operands, so no two threads touch one element of C.
namespace Loom.Kernels;

/// <summary>
/// The fixed split of C among threads: whole register tiles along the longer side (counted in tiles),
/// as even as integers allow. It depends only on the shape, the kernel and the number of parts.
/// </summary>
internal static class GemmPartition
{
    /// <summary>Below this many multiply-adds per part the hand-off costs more than it saves.</summary>
    internal const long MinWorkPerPart = 1L << 18;

    /// <summary>How many parts a problem is split into for at most <paramref name="maxParts"/> threads.</summary>
    public static int PartCount(in GemmProblem problem, GemmKernel kernel, int maxParts)
    {
        var (mr, nr) = GemmDotRows.Applies(problem) ? (problem.M, GemmDotRows.RowStep)
            : GemmSmallM.Applies(problem, kernel) ? (problem.M, GemmSmallM.ColumnStep)
            : TileOf(kernel);
        var tiles = Math.Max(TilesAlong(problem.M, mr), TilesAlong(problem.N, nr));
        var byWork = (long)problem.M * problem.N * problem.K / MinWorkPerPart;
        return (int)Math.Clamp(Math.Min(Math.Min(maxParts, tiles), byWork), 1, int.MaxValue);
    }

    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/> on the calling thread.</summary>
    public static void RunPart(in GemmProblem problem, GemmKernel kernel, int part, int parts)
    {
        if (GemmDotRows.Applies(problem))
        {
            var (first, last) = Share(TilesAlong(problem.N, GemmDotRows.RowStep), part, parts);
            GemmDotRows.Run(problem, kernel, first * GemmDotRows.RowStep, Math.Min(problem.N, last * GemmDotRows.RowStep));
            return;
        }

        if (GemmSmallM.Applies(problem, kernel))
        {
            var (first, last) = Share(TilesAlong(problem.N, GemmSmallM.ColumnStep), part, parts);
            GemmSmallM.Run(problem, first * GemmSmallM.ColumnStep, Math.Min(problem.N, last * GemmSmallM.ColumnStep));
            return;
        }

        switch (kernel)
        {
            case GemmKernel.Vector512:
                RunPart<GemmMicroKernel512>(problem, part, parts);
                break;
            case GemmKernel.Vector256:
                RunPart<GemmMicroKernel256>(problem, part, parts);
                break;
            default:
                RunPart<GemmMicroKernelScalar>(problem, part, parts);
                break;
        }
    }

    private static void RunPart<TKernel>(in GemmProblem problem, int part, int parts)
        where TKernel : struct, IGemmMicroKernel
    {
        var mTiles = TilesAlong(problem.M, TKernel.Mr);
        var nTiles = TilesAlong(problem.N, TKernel.Nr);
        if (nTiles >= mTiles)
        {
            var (first, last) = Share(nTiles, part, parts);
            GemmDriver<TKernel>.Run(problem, 0, problem.M, first * TKernel.Nr, Math.Min(problem.N, last * TKernel.Nr));
        }
        else
        {
            var (first, last) = Share(mTiles, part, parts);
            GemmDriver<TKernel>.Run(problem, first * TKernel.Mr, Math.Min(problem.M, last * TKernel.Mr), 0, problem.N);
        }
    }

    private static (int First, int Last) Share(int tiles, int part, int parts) =>
        ((int)((long)tiles * part / parts), (int)((long)tiles * (part + 1) / parts));

    private static int TilesAlong(int extent, int tile) => (extent + tile - 1) / tile;

    private static (int Mr, int Nr) TileOf(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => (GemmMicroKernel512.Mr, GemmMicroKernel512.Nr),
        GemmKernel.Vector256 => (GemmMicroKernel256.Mr, GemmMicroKernel256.Nr),
        _ => (GemmMicroKernelScalar.Mr, GemmMicroKernelScalar.Nr),
    };
}
