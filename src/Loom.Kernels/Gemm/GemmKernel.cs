namespace Loom.Kernels;

/// <summary>The register-blocked micro-kernel family that <see cref="Gemm"/> runs on.</summary>
public enum GemmKernel
{
    /// <summary>Portable scalar code (4 × 4 tile); used where no vector unit is accelerated.</summary>
    Scalar,

    /// <summary>256-bit FMA micro-kernel (6 × 16 tile, 12 accumulators).</summary>
    Vector256,

    /// <summary>512-bit FMA micro-kernel (8 × 32 tile, 16 accumulators).</summary>
    Vector512,
}
