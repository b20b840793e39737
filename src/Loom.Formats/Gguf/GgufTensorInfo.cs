namespace Loom.Formats.Gguf;

/// <summary>
/// One tensor of a GGUF file. <see cref="Dimensions"/> is ggml's order (ne[0] varies fastest, i.e. the row length);
/// <see cref="Shape"/> is the same reversed, the row-major order PyTorch and safetensors use.
/// </summary>
public sealed class GgufTensorInfo
{
    internal GgufTensorInfo(string name, GgmlType type, long[] dimensions, long elementCount, long offset, long byteLength)
    {
        Name = name;
        Type = type;
        Dimensions = dimensions;
        Shape = [.. dimensions.Reverse()];
        ElementCount = elementCount;
        Offset = offset;
        ByteLength = byteLength;
    }

    /// <summary>Tensor name, e.g. <c>blk.0.attn_q.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Element or block type as stored.</summary>
    public GgmlType Type { get; }

    /// <summary>ggml dimensions ne[0..n): ne[0] is the innermost (contiguous) one.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>Row-major shape (the reverse of <see cref="Dimensions"/>).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>Absolute byte offset of the data in the file.</summary>
    public long Offset { get; }

    /// <summary>Number of data bytes.</summary>
    public long ByteLength { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Shape)}]";
}
