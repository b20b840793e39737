// The metadata section of a GGUF v2/v3 file (ggml docs/gguf.md): magic "GGUF", u32 version, u64 tensor count,
// u64 key/value count, then per key a length-prefixed UTF-8 name, a u32 value type and the value (scalars, strings,
// typed arrays). Only the key/values are read: the tensor infos and data that follow are never touched, so a
// multi-gigabyte model file costs one pass over its header.
// Layering: DESIGN.md makes Loom.Tokenizers independent of every other Loom assembly, so it cannot use
// Loom.Formats' GgufFile (which also memory-maps and validates tensors); this reader is the small part the
// tokenizer needs, reading sequentially from a stream.
using System.Buffers.Binary;

namespace Loom.Tokenizers.Formats;

/// <summary>Reads the key/value metadata of a GGUF file.</summary>
internal static class GgufMetadataReader
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxArrayNesting = 8;

    private enum ValueType : uint
    {
        UInt8 = 0,
        Int8 = 1,
        UInt16 = 2,
        Int16 = 3,
        UInt32 = 4,
        Int32 = 5,
        Float32 = 6,
        Bool = 7,
        String = 8,
        Array = 9,
        UInt64 = 10,
        Int64 = 11,
        Float64 = 12,
    }

    /// <summary>
    /// Reads the metadata, keeping the values whose key satisfies <paramref name="keep"/>: integers as long,
    /// floats as double, bool, string; arrays as string[], float[] (f32), double[] (f64), long[] (integers), bool[]
    /// or object[] (nested arrays).
    /// </summary>
    /// <exception cref="TokenizerException">The header is not GGUF v2/v3, or a value is truncated or malformed.</exception>
    public static Dictionary<string, object> Read(Stream stream, string source, Func<string, bool> keep)
    {
        var reader = new Cursor(stream, source);
        uint magic = reader.UInt32();
        if (magic != Magic)
        {
            throw new TokenizerException($"{source}: expected the GGUF magic \"GGUF\" at byte 0, found 0x{magic:X8}.");
        }

        uint version = reader.UInt32();
        if (version is not (2 or 3))
        {
            throw new TokenizerException($"{source}: expected GGUF version 2 or 3, found {version}.");
        }

        reader.UInt64(); // tensor count: the tensors are not read
        ulong count = reader.UInt64();
        if (count > (ulong)reader.Remaining / 13)
        {
            throw new TokenizerException($"{source}: header claims {count} key/values, more than the {reader.Remaining} bytes left can hold.");
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (ulong i = 0; i < count; i++)
        {
            string key = reader.String();
            var type = (ValueType)reader.UInt32();
            if (keep(key))
            {
                if (!values.TryAdd(key, reader.Value(type, key, 0)))
                {
                    throw new TokenizerException($"{source}: key '{key}' appears twice.");
                }
            }
            else
            {
                reader.Skip(type, key, 0);
            }
        }

        return values;
    }

    /// <summary>Sequential little-endian reads with bounds checks that name the key being read.</summary>
    private sealed class Cursor(Stream stream, string source)
    {
        private readonly Stream _stream = stream.CanSeek ? stream : throw new ArgumentException("GGUF metadata needs a seekable stream.", nameof(stream));
        private readonly byte[] _scratch = new byte[8];

        public long Remaining => _stream.Length - _stream.Position;

        private Span<byte> Take(int n, string what)
        {
            var span = _scratch.AsSpan(0, n);
            if (_stream.ReadAtLeast(span, n, throwOnEndOfStream: false) < n)
            {
                throw new TokenizerException($"{source}: truncated file: expected {n} more bytes for {what} at byte {_stream.Position}, the file ends at {_stream.Length}.");
            }

            return span;
        }

        public uint UInt32(string what = "a u32") => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

        public ulong UInt64(string what = "a u64") => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

        public string String(string what = "a string")
        {
            ulong length = UInt64(what);
            if (length > (ulong)Remaining || length > int.MaxValue)
            {
                throw new TokenizerException($"{source}: {what} at byte {_stream.Position - 8} claims {length} bytes, only {Remaining} are left.");
            }

            byte[] bytes = new byte[(int)length];
            _stream.ReadExactly(bytes);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        public object Value(ValueType type, string key, int depth) => type switch
        {
            ValueType.UInt8 => (long)Take(1, key)[0],
            ValueType.Int8 => (long)(sbyte)Take(1, key)[0],
            ValueType.UInt16 => (long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2, key)),
            ValueType.Int16 => (long)BinaryPrimitives.ReadInt16LittleEndian(Take(2, key)),
            ValueType.UInt32 => (long)UInt32(key),
            ValueType.Int32 => (long)BinaryPrimitives.ReadInt32LittleEndian(Take(4, key)),
            ValueType.UInt64 => UInt64(key) is var u && u <= long.MaxValue ? (long)u : throw new TokenizerException($"{source}: '{key}' = {u} does not fit a signed 64-bit integer."),
            ValueType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(Take(8, key)),
            ValueType.Float32 => (double)BinaryPrimitives.ReadSingleLittleEndian(Take(4, key)),
            ValueType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, key)),
            ValueType.Bool => Take(1, key)[0] switch
            {
                0 => false,
                1 => true,
                var b => throw new TokenizerException($"{source}: '{key}': expected a bool byte 0 or 1, found {b}."),
            },
            ValueType.String => String(key),
            ValueType.Array => Array(key, depth),
            _ => throw new TokenizerException($"{source}: '{key}': unknown GGUF value type {(uint)type} (expected 0..12)."),
        };

        private object Array(string key, int depth)
        {
            var (type, count) = ArrayHeader(key, depth);
            switch (type)
            {
                case ValueType.String:
                    var strings = new string[count];
                    for (int i = 0; i < count; i++)
                    {
                        strings[i] = String($"'{key}'[{i}]");
                    }

                    return strings;
                case ValueType.Float32:
                    var floats = new float[count];
                    for (int i = 0; i < count; i++)
                    {
                        floats[i] = BinaryPrimitives.ReadSingleLittleEndian(Take(4, key));
                    }

                    return floats;
                case ValueType.Float64:
                    var doubles = new double[count];
                    for (int i = 0; i < count; i++)
                    {
                        doubles[i] = BinaryPrimitives.ReadDoubleLittleEndian(Take(8, key));
                    }

                    return doubles;
                case ValueType.Bool:
                    var bools = new bool[count];
                    for (int i = 0; i < count; i++)
                    {
                        bools[i] = (bool)Value(type, key, depth + 1);
                    }

                    return bools;
                case ValueType.Array:
                    var nested = new object[count];
                    for (int i = 0; i < count; i++)
                    {
                        nested[i] = Value(type, key, depth + 1);
                    }

                    return nested;
                default:
                    var longs = new long[count];
                    for (int i = 0; i < count; i++)
                    {
                        longs[i] = (long)Value(type, key, depth + 1);
                    }

                    return longs;
            }
        }

        public void Skip(ValueType type, string key, int depth)
        {
            switch (type)
            {
                case ValueType.String:
                    ulong length = UInt64(key);
                    SkipBytes(length, key);
                    break;
                case ValueType.Array:
                    var (element, count) = ArrayHeader(key, depth);
                    if (FixedSize(element) is int size)
                    {
                        SkipBytes((ulong)count * (ulong)size, key);
                    }
                    else
                    {
                        for (int i = 0; i < count; i++)
                        {
                            Skip(element, key, depth + 1);
                        }
                    }

                    break;
                default:
                    SkipBytes((ulong)(FixedSize(type) ?? throw new TokenizerException($"{source}: '{key}': unknown GGUF value type {(uint)type} (expected 0..12).")), key);
                    break;
            }
        }

        private (ValueType Type, int Count) ArrayHeader(string key, int depth)
        {
            if (depth >= MaxArrayNesting)
            {
                throw new TokenizerException($"{source}: '{key}': arrays nested deeper than {MaxArrayNesting} levels.");
            }

            var type = (ValueType)UInt32(key);
            if (type > ValueType.Float64)
            {
                throw new TokenizerException($"{source}: '{key}': unknown GGUF array element type {(uint)type} (expected 0..12).");
            }

            ulong count = UInt64(key);
            ulong minimum = (ulong)(FixedSize(type) ?? (type == ValueType.String ? 8 : 12));
            if (count > int.MaxValue || count * minimum > (ulong)Remaining)
            {
                throw new TokenizerException($"{source}: '{key}': array of {count} elements does not fit in the {Remaining} bytes left.");
            }

            return (type, (int)count);
        }

        private void SkipBytes(ulong n, string key)
        {
            if (n > (ulong)Remaining)
            {
                throw new TokenizerException($"{source}: truncated file: '{key}' needs {n} bytes at byte {_stream.Position}, only {Remaining} are left.");
            }

            _stream.Seek((long)n, SeekOrigin.Current);
        }

        private static int? FixedSize(ValueType type) => type switch
        {
            ValueType.UInt8 or ValueType.Int8 or ValueType.Bool => 1,
            ValueType.UInt16 or ValueType.Int16 => 2,
            ValueType.UInt32 or ValueType.Int32 or ValueType.Float32 => 4,
            ValueType.UInt64 or ValueType.Int64 or ValueType.Float64 => 8,
            _ => null,
        };
    }
}
