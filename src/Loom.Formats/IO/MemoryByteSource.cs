namespace Loom.Formats.IO;

/// <summary>A <see cref="ByteSource"/> over managed memory (a byte array or a slice of one).</summary>
internal sealed class MemoryByteSource(ReadOnlyMemory<byte> bytes, string description) : ByteSource
{
    public override long Length => bytes.Length;

    public override string Description => description;

    public override ReadOnlySpan<byte> Slice(long offset, int length) => bytes.Span.Slice(checked((int)offset), length);
}
