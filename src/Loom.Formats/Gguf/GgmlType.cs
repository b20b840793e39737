namespace Loom.Formats.Gguf;

/// <summary>
/// Tensor element types of ggml (<c>ggml.h</c>, <c>enum ggml_type</c>) with their on-disk codes. The reader knows
/// the sizes of these types; it converts F32, F16, BF16, Q8_0 and Q4_0 to float32.
/// </summary>
public enum GgmlType : uint
{
    /// <summary>IEEE binary32.</summary>
    F32 = 0,

    /// <summary>IEEE binary16.</summary>
    F16 = 1,

    /// <summary>Blocks of 32: f16 scale d, 16 bytes of 4-bit values; x = (q − 8)·d.</summary>
    Q4_0 = 2,

    /// <summary>Blocks of 32: f16 scale and minimum, 4-bit values.</summary>
    Q4_1 = 3,

    /// <summary>Blocks of 32: f16 scale, 5-bit values.</summary>
    Q5_0 = 6,

    /// <summary>Blocks of 32: f16 scale and minimum, 5-bit values.</summary>
    Q5_1 = 7,

    /// <summary>Blocks of 32: f16 scale d, 32 signed bytes; x = q·d.</summary>
    Q8_0 = 8,

    /// <summary>Blocks of 32: f16 scale and sum, 32 signed bytes.</summary>
    Q8_1 = 9,

    /// <summary>K-quant, super-blocks of 256, 2-bit.</summary>
    Q2_K = 10,

    /// <summary>K-quant, super-blocks of 256, 3-bit.</summary>
    Q3_K = 11,

    /// <summary>K-quant, super-blocks of 256, 4-bit.</summary>
    Q4_K = 12,

    /// <summary>K-quant, super-blocks of 256, 5-bit.</summary>
    Q5_K = 13,

    /// <summary>K-quant, super-blocks of 256, 6-bit.</summary>
    Q6_K = 14,

    /// <summary>K-quant, super-blocks of 256, 8-bit (intermediate type).</summary>
    Q8_K = 15,

    /// <summary>Signed 8-bit integer.</summary>
    I8 = 24,

    /// <summary>Signed 16-bit integer.</summary>
    I16 = 25,

    /// <summary>Signed 32-bit integer.</summary>
    I32 = 26,

    /// <summary>Signed 64-bit integer.</summary>
    I64 = 27,

    /// <summary>IEEE binary64.</summary>
    F64 = 28,

    /// <summary>bfloat16.</summary>
    BF16 = 30,
}
