namespace Loom.Kernels;

/// <summary>What the operands of a <see cref="Gemm"/> product are rounded to before they are multiplied.</summary>
public enum GemmPrecision
{
    /// <summary>float32 operands as stored (the default).</summary>
    Float32,

    /// <summary>
    /// Both operands rounded to the nearest bfloat16 (<see cref="BFloat16Kernel"/>) while they are packed; products
    /// and sums stay float32. The result equals the float32 product of the rounded operands, bit for bit.
    /// </summary>
    BFloat16,
}
