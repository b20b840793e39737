namespace Loom.Formats.Safetensors;

/// <summary>
/// One tensor of a safetensors file: its name, element type, row-major shape, and where its bytes lie
/// (<see cref="Offset"/> counts from the start of the file, not from the start of the data section).
/// </summary>
public sealed class SafetensorsEntry
{
    internal SafetensorsEntry(string name, SafetensorsDType dtype, long[] shape, long elementCount, long offset, long byteLength)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        ElementCount = elementCount;
        Offset = offset;
        ByteLength = byteLength;
    }

    /// <summary>Tensor name, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Element type as stored.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>Row-major shape; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Product of the shape (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Absolute byte offset of the first element in the file.</summary>
    public long Offset { get; }

    /// <summary>Number of bytes (= <see cref="ElementCount"/> × element size).</summary>
    public long ByteLength { get; }

    /// <summary>The shape as <c>[2, 3]</c>, for messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DType} {ShapeText}";
}
