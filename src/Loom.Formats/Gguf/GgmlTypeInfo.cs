namespace Loom.Formats.Gguf;

/// <summary>Block geometry of <see cref="GgmlType"/> values (ggml's <c>type_traits</c>: <c>blck_size</c>, <c>type_size</c>).</summary>
public static class GgmlTypeInfo
{
    /// <summary>True when <paramref name="code"/> is one of the types in <see cref="GgmlType"/>.</summary>
    public static bool IsKnown(uint code) => Enum.IsDefined(typeof(GgmlType), code);

    /// <summary>Elements per block (1 for plain types, 32 for Q4_0/Q8_0, 256 for K-quants).</summary>
    public static int BlockSize(this GgmlType type) => type switch
    {
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0 or GgmlType.Q8_1 => 32,
        GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K or GgmlType.Q8_K => 256,
        _ => 1,
    };

    /// <summary>Bytes per block.</summary>
    public static int BlockBytes(this GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.I32 => 4,
        GgmlType.F16 or GgmlType.BF16 or GgmlType.I16 => 2,
        GgmlType.I8 => 1,
        GgmlType.I64 or GgmlType.F64 => 8,
        GgmlType.Q4_0 => 18,
        GgmlType.Q4_1 => 20,
        GgmlType.Q5_0 => 22,
        GgmlType.Q5_1 => 24,
        GgmlType.Q8_0 => 34,
        GgmlType.Q8_1 => 36,
        GgmlType.Q2_K => 84,
        GgmlType.Q3_K => 110,
        GgmlType.Q4_K => 144,
        GgmlType.Q5_K => 176,
        GgmlType.Q6_K => 210,
        GgmlType.Q8_K => 292,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type"),
    };

    /// <summary>True for the types this library converts to float32.</summary>
    public static bool IsConvertibleToFloat32(this GgmlType type) =>
        type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 or GgmlType.Q8_0 or GgmlType.Q4_0;
}
