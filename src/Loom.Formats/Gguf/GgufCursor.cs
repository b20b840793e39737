using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Loom.Formats.IO;

namespace Loom.Formats.Gguf;

/// <summary>Sequential little-endian reads over a <see cref="ByteSource"/> that refuse to run past its end.</summary>
internal sealed class GgufCursor(ByteSource source)
{
    public long Position { get; private set; }

    public long Remaining => source.Length - Position;

    public string Where => source.Description;

    public ReadOnlySpan<byte> Take(long count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ModelFormatException(GgufFile.FormatName, $"truncated: {what} needs {count} bytes at offset {Position}, but only {Remaining} remain in {source.Description}");
        }

        if (count > Array.MaxLength)
        {
            throw new ModelFormatException(GgufFile.FormatName, $"{what} declares {count} bytes at offset {Position}, more than this reader accepts for one item");
        }

        var span = source.Slice(Position, (int)count);
        Position += count;
        return span;
    }

    public uint UInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>A count that must be satisfiable: each item needs at least <paramref name="minBytesPerItem"/> bytes.</summary>
    public long Count(string what, long minBytesPerItem)
    {
        long at = Position;
        ulong count = UInt64(what);
        if (count > (ulong)(Remaining / minBytesPerItem))
        {
            throw new ModelFormatException(GgufFile.FormatName, $"{what} is {count} at offset {at}, but the {Remaining} remaining bytes hold at most {Remaining / minBytesPerItem}");
        }

        return (long)count;
    }

    /// <summary>A GGUF string: u64 length then UTF-8 bytes, copied out.</summary>
    public byte[] StringBytes(string what)
    {
        long length = Count($"length of {what}", 1);
        return Take(length, what).ToArray();
    }

    public T[] ReadArray<T>(long count, string what)
        where T : unmanaged
    {
        var bytes = Take(checked(count * Marshal.SizeOf<T>()), what);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
