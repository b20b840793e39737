// Register blocking after Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication"
// (ACM TOMS 2008), sized for 16 vector registers: 12 accumulators, 2 B vectors and one broadcast.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>6 × 16 micro-kernel on 256-bit vectors (12 accumulators, 2 B loads, 6 broadcasts per k step).</summary>
internal readonly unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static int Kc => 256;

    public static int Mc => 96;

    public static int Nc => 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Sse.IsSupported)
        {
            // Fetch the tile of C while the k loop runs (see GemmMicroKernel512).
            for (var r = 0; r < 6; r++)
            {
                var row = c + (r * ldc);
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 15);
            }
        }

        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;

        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        var update = beta != 0f;
        StoreRow(c, c00, c01, va, vb, update);
        StoreRow(c + ldc, c10, c11, va, vb, update);
        StoreRow(c + (2 * ldc), c20, c21, va, vb, update);
        StoreRow(c + (3 * ldc), c30, c31, va, vb, update);
        StoreRow(c + (4 * ldc), c40, c41, va, vb, update);
        StoreRow(c + (5 * ldc), c50, c51, va, vb, update);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(
        float* row, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> alpha, Vector256<float> beta, bool update)
    {
        if (update)
        {
            Vector256.FusedMultiplyAdd(alpha, acc0, Vector256.Load(row) * beta).Store(row);
            Vector256.FusedMultiplyAdd(alpha, acc1, Vector256.Load(row + 8) * beta).Store(row + 8);
        }
        else
        {
            (alpha * acc0).Store(row);
            (alpha * acc1).Store(row + 8);
        }
    }
}
