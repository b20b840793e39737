namespace Loom.Kernels;

/// <summary>
/// How <see cref="QuantizedMatmul"/> treats the float32 activations it multiplies a Q8_0 / Q4_0 weight matrix with.
/// </summary>
public enum QuantizedActivations
{
    /// <summary>
    /// Activations stay float32 and meet exactly dequantised weights: the product equals float32 GEMM on the dequantised
    /// matrix (bit for bit up to <see cref="QuantizedMatmul.MaxStreamingRows"/> rows). The default.
    /// </summary>
    Float32,

    /// <summary>
    /// Each activation row is first quantised to int8 blocks of 32 values with one float32 scale (max|x| / 127, round to
    /// nearest), as llama.cpp quantises the activations to Q8_0 before ggml_vec_dot_q8_0_q8_0 / _q4_0_q8_0; every block
    /// product is then an exact integer dot product, scaled once. Faster, and the results differ from
    /// <see cref="Float32"/> by the activation rounding (each value moves by up to 1/254 of its block's largest magnitude). Products of more than
    /// <see cref="QuantizedMatmul.MaxIntegerRows"/> rows (prompt prefill) keep the <see cref="Float32"/> path.
    /// </summary>
    Int8,
}
