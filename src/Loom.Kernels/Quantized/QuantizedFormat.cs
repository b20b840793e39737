namespace Loom.Kernels;

/// <summary>
/// A block-quantised weight layout of ggml / GGUF (ggml-common.h): 32 consecutive values of a row share one binary16
/// scale d. Rows are stored one after another, each a whole number of blocks.
/// </summary>
public enum QuantizedFormat
{
    /// <summary>block_q8_0, 34 bytes: scale d (f16), then 32 signed bytes q; value i = d · q[i].</summary>
    Q8_0,

    /// <summary>
    /// block_q4_0, 18 bytes: scale d (f16), then 16 bytes; byte j holds value j in its low nibble and value j + 16 in
    /// its high nibble; value = d · (nibble − 8).
    /// </summary>
    Q4_0,
}
