// Register blocking after Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication"
// (ACM TOMS 2008): each k step loads one row of the packed B micro-panel (two 16-wide vectors), broadcasts
// the 8 packed A values one by one and issues 16 independent FMAs into the 8 × 32 accumulator tile.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>8 × 32 micro-kernel on 512-bit vectors (16 accumulators, 2 B loads, 8 broadcasts per k step).</summary>
internal readonly unsafe struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 32;

    public static int Kc => 256;

    public static int Mc => 192;

    public static int Nc => 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Sse.IsSupported)
        {
            // The tile of C is read or written only after the k loop; start fetching it now so the misses
            // overlap with the FMAs instead of stalling the final stores.
            for (var r = 0; r < 8; r++)
            {
                var row = c + (r * ldc);
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 16);
                Sse.Prefetch0(row + 31);
            }
        }

        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;

        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += 32;
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        var update = beta != 0f;
        StoreRow(c, c00, c01, va, vb, update);
        StoreRow(c + ldc, c10, c11, va, vb, update);
        StoreRow(c + (2 * ldc), c20, c21, va, vb, update);
        StoreRow(c + (3 * ldc), c30, c31, va, vb, update);
        StoreRow(c + (4 * ldc), c40, c41, va, vb, update);
        StoreRow(c + (5 * ldc), c50, c51, va, vb, update);
        StoreRow(c + (6 * ldc), c60, c61, va, vb, update);
        StoreRow(c + (7 * ldc), c70, c71, va, vb, update);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(
        float* row, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> alpha, Vector512<float> beta, bool update)
    {
        if (update)
        {
            Vector512.FusedMultiplyAdd(alpha, acc0, Vector512.Load(row) * beta).Store(row);
            Vector512.FusedMultiplyAdd(alpha, acc1, Vector512.Load(row + 16) * beta).Store(row + 16);
        }
        else
        {
            (alpha * acc0).Store(row);
            (alpha * acc1).Store(row + 16);
        }
    }
}
