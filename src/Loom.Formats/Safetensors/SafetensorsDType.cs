namespace Loom.Formats.Safetensors;

/// <summary>
/// Element types of the safetensors format (huggingface/safetensors, <c>Dtype</c> in <c>safetensors/src/tensor.rs</c>),
/// declared in the reference library's order: its writer sorts tensors by this order, descending, then by name.
/// </summary>
public enum SafetensorsDType
{
    /// <summary>Boolean, one byte.</summary>
    BOOL,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>8-bit float, 5 exponent bits.</summary>
    F8_E5M2,

    /// <summary>8-bit float, 4 exponent bits.</summary>
    F8_E4M3,

    /// <summary>Signed 16-bit integer.</summary>
    I16,

    /// <summary>Unsigned 16-bit integer.</summary>
    U16,

    /// <summary>IEEE binary16.</summary>
    F16,

    /// <summary>bfloat16.</summary>
    BF16,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Unsigned 32-bit integer.</summary>
    U32,

    /// <summary>IEEE binary32.</summary>
    F32,

    /// <summary>IEEE binary64.</summary>
    F64,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}
