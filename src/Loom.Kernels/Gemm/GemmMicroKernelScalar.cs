// Scalar fallback with the same packed layout and store rule as the vector micro-kernels
// (Goto and van de Geijn, ACM TOMS 2008), so every path shares one blocking driver.
namespace Loom.Kernels;

/// <summary>4 × 4 scalar micro-kernel; the reference shape of the vector kernels without any intrinsics.</summary>
internal readonly unsafe struct GemmMicroKernelScalar : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static int Kc => 256;

    public static int Mc => 64;

    public static int Nc => 1024;

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        var acc = stackalloc float[16];
        new Span<float>(acc, 16).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var r = 0; r < 4; r++)
            {
                var av = a[r];
                for (var j = 0; j < 4; j++)
                {
                    acc[(r * 4) + j] = MathF.FusedMultiplyAdd(av, b[j], acc[(r * 4) + j]);
                }
            }

            a += 4;
            b += 4;
        }

        for (var r = 0; r < 4; r++)
        {
            var row = c + (r * ldc);
            for (var j = 0; j < 4; j++)
            {
                row[j] = beta == 0f
                    ? alpha * acc[(r * 4) + j]
                    : MathF.FusedMultiplyAdd(alpha, acc[(r * 4) + j], beta * row[j]);
            }
        }
    }
}
