// Writer for GGUF v3 laid out as llama.cpp's gguf-py GGUFWriter does: header, metadata in insertion order,
// tensor infos with offsets rounded up to the alignment, padding to the alignment before the data section (only
// when there are tensors), and each tensor's data padded to the alignment. A file read by GgufFile and written
// back here is byte-identical.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Loom.Formats.IO;

namespace Loom.Formats.Gguf;

/// <summary>
/// Collects GGUF metadata and tensors and writes a GGUF file; <see cref="Save"/> is atomic (temporary file + rename).
/// Shapes passed to this writer are row-major (PyTorch order); the file stores them reversed, as ggml does.
/// </summary>
public sealed class GgufWriter
{
    /// <summary>ggml's GGML_MAX_NAME: tensor names must be shorter than this many bytes for llama.cpp to load them.</summary>
    public const int MaxNameBytes = 64;

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<(string Name, GgmlType Type, long[] Dimensions, ReadOnlyMemory<byte> Data)> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);

    /// <summary>Creates a writer for GGUF <paramref name="version"/> (2 or 3).</summary>
    public GgufWriter(uint version = 3)
    {
        if (version is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "GGUF version must be 2 or 3");
        }

        Version = version;
    }

    /// <summary>The version written in the header.</summary>
    public uint Version { get; }

    /// <summary>Data alignment: <c>general.alignment</c> when set, else 32.</summary>
    public int Alignment => _metadata.FirstOrDefault(p => p.Key == GgufFile.AlignmentKey).Value is { Type: GgufValueType.UInt32 } value
        ? (int)(uint)value.Raw
        : GgufFile.DefaultAlignment;

    /// <summary>Appends a metadata key/value (keys must be unique).</summary>
    public void AddMetadata(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_metadata.Any(p => p.Key == key))
        {
            throw new ArgumentException($"gguf: metadata key '{key}' was already added", nameof(key));
        }

        if (key == GgufFile.AlignmentKey && (value.Type != GgufValueType.UInt32 || (uint)value.Raw is 0 or > (1u << 30) || ((uint)value.Raw & ((uint)value.Raw - 1)) != 0))
        {
            throw new ArgumentException($"gguf: '{GgufFile.AlignmentKey}' must be a UInt32 power of two", nameof(value));
        }

        _metadata.Add(new(key, value));
    }

    /// <summary>Adds a tensor from its raw stored bytes (not copied). <paramref name="shape"/> is row-major.</summary>
    public void AddTensor(string name, GgmlType type, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (Encoding.UTF8.GetByteCount(name) >= MaxNameBytes)
        {
            throw new ArgumentException($"gguf: tensor name '{name}' is {Encoding.UTF8.GetByteCount(name)} bytes; llama.cpp accepts at most {MaxNameBytes - 1}", nameof(name));
        }

        if (shape.Count > GgufFile.MaxDimensions)
        {
            throw new ArgumentException($"gguf: tensor '{name}' has {shape.Count} dimensions, at most {GgufFile.MaxDimensions} allowed", nameof(shape));
        }

        long elements = 1;
        foreach (long dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            elements = checked(elements * dimension);
        }

        long rowLength = shape.Count == 0 ? 1 : shape[^1];
        if (rowLength % type.BlockSize() != 0)
        {
            throw new ArgumentException($"gguf: tensor '{name}' is {type} with rows of {rowLength} values, not a multiple of the block size {type.BlockSize()}", nameof(shape));
        }

        long expectedBytes = checked(elements / type.BlockSize() * type.BlockBytes());
        if (expectedBytes != data.Length)
        {
            throw new ArgumentException($"gguf: tensor '{name}' {type} [{string.Join(", ", shape)}] needs {expectedBytes} bytes, found {data.Length}", nameof(data));
        }

        if (!_tensorNames.Add(name))
        {
            throw new ArgumentException($"gguf: tensor '{name}' was already added", nameof(name));
        }

        _tensors.Add((name, type, [.. shape.Reverse()], data));
    }

    /// <summary>Adds float32 values stored as <paramref name="storeAs"/> (F32, F16, BF16, Q8_0 or Q4_0). <paramref name="shape"/> is row-major.</summary>
    public void AddFloat32(string name, IReadOnlyList<long> shape, ReadOnlySpan<float> values, GgmlType storeAs = GgmlType.F32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!storeAs.IsConvertibleToFloat32())
        {
            throw new ArgumentException($"gguf: float32 values can be stored as F32, F16, BF16, Q8_0 or Q4_0, not {storeAs}", nameof(storeAs));
        }

        if (values.Length % storeAs.BlockSize() != 0)
        {
            throw new ArgumentException($"gguf: tensor '{name}' has {values.Length} values, not a multiple of the {storeAs} block size {storeAs.BlockSize()}", nameof(values));
        }

        var bytes = new byte[checked(values.Length / storeAs.BlockSize() * storeAs.BlockBytes())];
        switch (storeAs)
        {
            case GgmlType.F32:
                MemoryMarshal.AsBytes(values).CopyTo(bytes);
                break;
            case GgmlType.F16:
                FloatConversion.Float32ToFloat16Bytes(values, bytes);
                break;
            case GgmlType.BF16:
                FloatConversion.Float32ToBFloat16Bytes(values, bytes);
                break;
            case GgmlType.Q8_0:
                GgmlQuantization.QuantizeQ8_0(values, MemoryMarshal.Cast<byte, BlockQ8_0>(bytes.AsSpan()));
                break;
            default:
                GgmlQuantization.QuantizeQ4_0(values, MemoryMarshal.Cast<byte, BlockQ4_0>(bytes.AsSpan()));
                break;
        }

        AddTensor(name, storeAs, shape, bytes);
    }

    /// <summary>Writes the file atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int alignment = Alignment;
        using var header = new MemoryStream();
        WriteUInt32(header, GgufFile.Magic);
        WriteUInt32(header, Version);
        WriteUInt64(header, (ulong)_tensors.Count);
        WriteUInt64(header, (ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(header, Encoding.UTF8.GetBytes(key));
            WriteUInt32(header, (uint)value.Type);
            WriteValue(header, value);
        }

        long offset = 0;
        foreach (var (name, type, dimensions, data) in _tensors)
        {
            WriteString(header, Encoding.UTF8.GetBytes(name));
            WriteUInt32(header, (uint)dimensions.Length);
            foreach (long dimension in dimensions)
            {
                WriteUInt64(header, (ulong)dimension);
            }

            WriteUInt32(header, (uint)type);
            WriteUInt64(header, (ulong)offset);
            offset += Pad(data.Length, alignment);
        }

        header.WriteTo(stream);
        if (_tensors.Count == 0)
        {
            return;
        }

        WriteZeros(stream, Pad(header.Length, alignment) - header.Length);
        foreach (var (_, _, _, data) in _tensors)
        {
            stream.Write(data.Span);
            WriteZeros(stream, Pad(data.Length, alignment) - data.Length);
        }
    }

    private static long Pad(long length, int alignment) => (length + alignment - 1) / alignment * alignment;

    private static void WriteZeros(Stream stream, long count)
    {
        for (long i = 0; i < count; i++)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteValue(Stream stream, GgufValue value)
    {
        if (value.Type != GgufValueType.Array)
        {
            WriteScalar(stream, value.Type, value.Raw);
            return;
        }

        WriteUInt32(stream, (uint)value.ElementType);
        WriteUInt64(stream, (ulong)value.ArrayLength);
        switch (value.Raw)
        {
            case byte[][] strings:
                foreach (byte[] s in strings)
                {
                    WriteString(stream, s);
                }

                break;
            case GgufValue[] arrays:
                foreach (var array in arrays)
                {
                    WriteValue(stream, array);
                }

                break;
            case bool[] flags:
                foreach (bool flag in flags)
                {
                    stream.WriteByte(flag ? (byte)1 : (byte)0);
                }

                break;
            default:
                WriteBlittable(stream, (Array)value.Raw);
                break;
        }
    }

    private static void WriteBlittable(Stream stream, Array array)
    {
        switch (array)
        {
            case byte[] a: stream.Write(a); break;
            case sbyte[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ushort[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case short[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case uint[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case int[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case float[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ulong[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case long[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case double[] a: stream.Write(MemoryMarshal.AsBytes(a.AsSpan())); break;
            default: throw new InvalidOperationException($"gguf: cannot write an array of {array.GetType().GetElementType()?.Name}");
        }
    }

    private static void WriteScalar(Stream stream, GgufValueType type, object value)
    {
        switch (value)
        {
            case byte[] utf8: WriteString(stream, utf8); break;
            case bool flag: stream.WriteByte(flag ? (byte)1 : (byte)0); break;
            case byte v: stream.WriteByte(v); break;
            case sbyte v: stream.WriteByte((byte)v); break;
            case ushort v: WriteBlittable(stream, new[] { v }); break;
            case short v: WriteBlittable(stream, new[] { v }); break;
            case uint v: WriteUInt32(stream, v); break;
            case int v: WriteBlittable(stream, new[] { v }); break;
            case float v: WriteBlittable(stream, new[] { v }); break;
            case ulong v: WriteUInt64(stream, v); break;
            case long v: WriteBlittable(stream, new[] { v }); break;
            case double v: WriteBlittable(stream, new[] { v }); break;
            default: throw new InvalidOperationException($"gguf: cannot write a {type} value of {value.GetType().Name}");
        }
    }

    private static void WriteString(Stream stream, byte[] utf8)
    {
        WriteUInt64(stream, (ulong)utf8.Length);
        stream.Write(utf8);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt64(Stream stream, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
