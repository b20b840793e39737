using System.Buffers.Binary;

namespace Loom.Formats.Tests;

/// <summary>Seeded byte-level mutations for fuzz tests: bit flips, truncation, field overwrites, insertions, deletions.</summary>
internal sealed class Mutator(int seed)
{
    private static readonly ulong[] Interesting =
        [0, 1, 2, 7, 8, 31, 32, 255, 256, 4096, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, long.MaxValue, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1];

    public Random Random { get; } = new(seed);

    /// <summary>A mutated copy of <paramref name="original"/>; most edits land in the first <paramref name="hotBytes"/> bytes.</summary>
    public byte[] Mutate(byte[] original, int hotBytes)
    {
        var bytes = (byte[])original.Clone();
        int edits = 1 + Random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            bytes = Random.Next(6) switch
            {
                0 => FlipBits(bytes, hotBytes),
                1 => bytes.AsSpan(0, Random.Next(bytes.Length + 1)).ToArray(),
                2 => OverwriteField(bytes, hotBytes),
                3 => Insert(bytes, hotBytes),
                4 => Delete(bytes, hotBytes),
                _ => FlipBits(bytes, bytes.Length),
            };
        }

        return bytes;
    }

    private int Position(int length, int hotBytes) =>
        length == 0 ? 0 : Random.Next(4) == 0 ? Random.Next(length) : Random.Next(Math.Min(length, Math.Max(1, hotBytes)));

    private byte[] FlipBits(byte[] bytes, int hotBytes)
    {
        int flips = 1 + Random.Next(8);
        for (int i = 0; i < flips && bytes.Length > 0; i++)
        {
            bytes[Position(bytes.Length, hotBytes)] ^= (byte)(1 << Random.Next(8));
        }

        return bytes;
    }

    private byte[] OverwriteField(byte[] bytes, int hotBytes)
    {
        int width = Random.Next(2) == 0 ? 4 : 8;
        if (bytes.Length < width)
        {
            return bytes;
        }

        int at = Math.Min(Position(bytes.Length, hotBytes) & ~3, bytes.Length - width);
        ulong value = Random.Next(3) switch
        {
            0 => Interesting[Random.Next(Interesting.Length)],
            1 => (ulong)Random.NextInt64(),
            _ => (width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at))) + (ulong)(Random.Next(17) - 8),
        };
        if (width == 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), value);
        }

        return bytes;
    }

    private byte[] Insert(byte[] bytes, int hotBytes)
    {
        int at = Position(bytes.Length, hotBytes);
        var extra = new byte[1 + Random.Next(16)];
        Random.NextBytes(extra);
        return [.. bytes.AsSpan(0, at), .. extra, .. bytes.AsSpan(at)];
    }

    private byte[] Delete(byte[] bytes, int hotBytes)
    {
        int at = Position(bytes.Length, hotBytes);
        int count = Math.Min(bytes.Length - at, 1 + Random.Next(16));
        return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
    }
}
