namespace Loom.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel with its blocking parameters (BLIS terminology: Van Zee and van de
/// Geijn, "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 2015).
/// </summary>
/// <remarks>
/// The kernel multiplies a packed A micro-panel (<c>kc</c> steps of <see cref="Mr"/> values) by a packed
/// B micro-panel (<c>kc</c> steps of <see cref="Nr"/> values) and writes the <see cref="Mr"/> × <see cref="Nr"/>
/// tile of C as <c>alpha·acc</c> when <c>beta</c> is 0 (C is not read), else as
/// <c>fma(alpha, acc, beta·C)</c> with one rounding of the fused step.
/// </remarks>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int Nr { get; }

    /// <summary>Depth of one packed block (the k extent kept in cache).</summary>
    static abstract int Kc { get; }

    /// <summary>Rows of one packed A block (a multiple of <see cref="Mr"/>).</summary>
    static abstract int Mc { get; }

    /// <summary>Columns of one packed B block (a multiple of <see cref="Nr"/>).</summary>
    static abstract int Nc { get; }

    /// <summary>Computes one tile; <paramref name="c"/> points at its top-left element, rows <paramref name="ldc"/> apart.</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
