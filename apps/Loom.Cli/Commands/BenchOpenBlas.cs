using System.Runtime.InteropServices;

namespace Loom.Cli.Commands;

/// <summary>
/// OpenBLAS <c>cblas_sgemm</c> loaded at run time (Debian <c>libopenblas0-pthread</c>), the peer that
/// <c>loom bench gemm</c> measures against. Loom itself has no native dependency; only the benchmark does.
/// </summary>
internal sealed unsafe class BenchOpenBlas
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly string[] s_candidates =
        ["libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "libopenblas.dylib", "libopenblas.dll"];

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setNumThreads;
    private readonly delegate* unmanaged<byte*> _getCoreName;
    private readonly delegate* unmanaged<byte*> _getConfig;

    private BenchOpenBlas(nint library)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(library, "cblas_sgemm");
        _setNumThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(library, "openblas_set_num_threads");
        _getCoreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(library, "openblas_get_corename");
        _getConfig = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(library, "openblas_get_config");
    }

    /// <summary>The kernel family OpenBLAS picked (e.g. <c>SkylakeX</c>).</summary>
    public string CoreName => Marshal.PtrToStringUTF8((nint)_getCoreName()) ?? "?";

    /// <summary>OpenBLAS's build description (version, threading, core).</summary>
    public string Config => Marshal.PtrToStringUTF8((nint)_getConfig()) ?? "?";

    /// <summary>
    /// Loads OpenBLAS (the library named by <c>LOOM_OPENBLAS</c> if set), or returns null with the reason. Sets <c>OPENBLAS_CORETYPE=SkylakeX</c> in the native
    /// environment first unless the caller set it: OpenBLAS 0.3.21 does not recognise Zen 4 and would otherwise
    /// fall back to its AVX2 kernels.
    /// </summary>
    public static BenchOpenBlas? TryLoad(out string reason)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetEnv("OPENBLAS_CORETYPE", "SkylakeX", 0);
        }

        var chosen = Environment.GetEnvironmentVariable("LOOM_OPENBLAS");
        foreach (var name in string.IsNullOrEmpty(chosen) ? s_candidates : [chosen])
        {
            if (NativeLibrary.TryLoad(name, out var library))
            {
                if (!NativeLibrary.TryGetExport(library, "cblas_sgemm", out _)
                    || !NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out _))
                {
                    reason = $"{name} was found but lacks cblas_sgemm / openblas_set_num_threads";
                    return null;
                }

                reason = "";
                return new BenchOpenBlas(library);
            }
        }

        reason = string.IsNullOrEmpty(chosen)
            ? "OpenBLAS not found (install with: apt-get install -y libopenblas0-pthread)"
            : $"OpenBLAS not found at LOOM_OPENBLAS={chosen}";
        return null;
    }

    /// <summary>Sets the number of OpenBLAS threads.</summary>
    public void SetThreads(int threads) => _setNumThreads(threads);

    /// <summary>Row-major <c>cblas_sgemm</c>, same argument meaning as <see cref="Loom.Kernels.Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</summary>
    public void Multiply(
        bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            _sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
