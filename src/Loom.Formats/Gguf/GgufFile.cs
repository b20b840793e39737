// Reader for GGUF v2/v3, the llama.cpp model format (ggml docs/gguf.md; checks as in ggml/src/gguf.cpp
// gguf_init_from_file_impl: magic, version, bounded counts, duplicate keys, known types, ne[0] divisible by the
// block size, power-of-two general.alignment, tensor offsets aligned and inside the data section).
using System.Runtime.InteropServices;
using System.Text;
using Loom.Formats.IO;

namespace Loom.Formats.Gguf;

/// <summary>
/// A parsed GGUF file: header, ordered metadata key/values, tensor infos, and zero-copy access to tensor data —
/// raw bytes, typed Q8_0 / Q4_0 blocks for kernels that multiply quantised weights directly, or float32 conversion.
/// Opened by path the file is memory-mapped (spans valid until <see cref="Dispose"/>). Malformed input raises
/// <see cref="ModelFormatException"/>.
/// </summary>
public sealed class GgufFile : IDisposable
{
    /// <summary>The file magic "GGUF" read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>Data alignment when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    /// <summary>ggml's maximum number of dimensions.</summary>
    public const int MaxDimensions = 4;

    /// <summary>Metadata key that sets the data alignment.</summary>
    public const string AlignmentKey = "general.alignment";

    internal const string FormatName = "gguf";
    private const int MaxArrayNesting = 8;

    private readonly ByteSource _source;
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly Dictionary<string, GgufValue> _metadataByKey = new(StringComparer.Ordinal);
    private readonly List<GgufTensorInfo> _tensors = [];
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingNames = new(StringComparer.Ordinal);

    private GgufFile(ByteSource source)
    {
        _source = source;
        try
        {
            Parse(new GgufCursor(source));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Format version (2 or 3).</summary>
    public uint Version { get; private set; }

    /// <summary>Data alignment in bytes.</summary>
    public int Alignment { get; private set; } = DefaultAlignment;

    /// <summary>Absolute offset of the data section.</summary>
    public long DataOffset { get; private set; }

    /// <summary>Metadata in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata => _metadata;

    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors => _tensors;

    /// <summary>Path or "memory"/"stream", for messages.</summary>
    public string Source => _source.Description;

    /// <summary>Opens a file by path, memory-mapped.</summary>
    public static GgufFile Open(string path) => new(ByteSource.OpenFile(path));

    /// <summary>Parses a file held in memory (not copied; keep the buffer unchanged while in use).</summary>
    public static GgufFile FromBytes(ReadOnlyMemory<byte> bytes) => new(new MemoryByteSource(bytes, "memory"));

    /// <summary>Reads a stream to its end (at most <paramref name="maxBytes"/>) and parses it.</summary>
    public static GgufFile FromStream(Stream stream, long maxBytes = int.MaxValue) => new(ByteSource.ReadStream(stream, maxBytes, FormatName));

    /// <summary>Looks a metadata value up by key.</summary>
    public bool TryGetValue(string key, out GgufValue value) => _metadataByKey.TryGetValue(key, out value!);

    /// <summary>The metadata value for <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> naming the file when absent.</summary>
    public GgufValue GetValue(string key) => _metadataByKey.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"gguf: no metadata key '{key}' in {Source}");

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, out GgufTensorInfo tensor) => _tensorsByName.TryGetValue(name, out tensor!);

    /// <summary>The tensor named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public GgufTensorInfo GetTensor(string name) => _tensorsByName.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"gguf: no tensor named '{name}' in {Source} ({_tensors.Count} tensors)");

    /// <summary>The raw bytes of a tensor, without copying.</summary>
    public ReadOnlySpan<byte> GetBytes(GgufTensorInfo tensor)
    {
        CheckOwned(tensor);
        if (tensor.ByteLength > Array.MaxLength)
        {
            throw new NotSupportedException($"gguf: tensor '{tensor.Name}' has {tensor.ByteLength} bytes, more than one span can address");
        }

        return _source.Slice(tensor.Offset, (int)tensor.ByteLength);
    }

    /// <summary>The Q8_0 blocks of a tensor, without copying (row r of a [rows, cols] tensor is blocks r·cols/32 ..).</summary>
    public ReadOnlySpan<BlockQ8_0> GetBlocksQ8_0(GgufTensorInfo tensor) => GetBlocks<BlockQ8_0>(tensor, GgmlType.Q8_0);

    /// <summary>The Q4_0 blocks of a tensor, without copying.</summary>
    public ReadOnlySpan<BlockQ4_0> GetBlocksQ4_0(GgufTensorInfo tensor) => GetBlocks<BlockQ4_0>(tensor, GgmlType.Q4_0);

    /// <summary>Converts (dequantises) an F32/F16/BF16/Q8_0/Q4_0 tensor to float32 into <paramref name="destination"/>.</summary>
    public void ReadFloat32(GgufTensorInfo tensor, Span<float> destination)
    {
        CheckOwned(tensor);
        if (destination.Length != tensor.ElementCount)
        {
            throw new ArgumentException($"gguf: tensor '{tensor.Name}' has {tensor.ElementCount} elements, destination has {destination.Length}", nameof(destination));
        }

        switch (tensor.Type)
        {
            case GgmlType.F32:
                FloatConversion.Float32BytesToFloat32(GetBytes(tensor), destination);
                break;
            case GgmlType.F16:
                FloatConversion.Float16BytesToFloat32(GetBytes(tensor), destination);
                break;
            case GgmlType.BF16:
                FloatConversion.BFloat16BytesToFloat32(GetBytes(tensor), destination);
                break;
            case GgmlType.Q8_0:
                GgmlQuantization.DequantizeQ8_0(GetBlocksQ8_0(tensor), destination);
                break;
            case GgmlType.Q4_0:
                GgmlQuantization.DequantizeQ4_0(GetBlocksQ4_0(tensor), destination);
                break;
            default:
                throw new NotSupportedException($"gguf: tensor '{tensor.Name}' is {tensor.Type}; only F32, F16, BF16, Q8_0 and Q4_0 convert to float32");
        }
    }

    /// <summary>Converts the tensor named <paramref name="name"/> to a new float32 array.</summary>
    public float[] ReadFloat32(string name)
    {
        var tensor = GetTensor(name);
        if (tensor.ElementCount > Array.MaxLength)
        {
            throw new NotSupportedException($"gguf: tensor '{name}' has {tensor.ElementCount} elements, more than one array holds");
        }

        var values = new float[tensor.ElementCount];
        ReadFloat32(tensor, values);
        return values;
    }

    /// <summary>Releases the memory mapping; spans obtained earlier become invalid.</summary>
    public void Dispose() => _source.Dispose();

    private ReadOnlySpan<T> GetBlocks<T>(GgufTensorInfo tensor, GgmlType expected)
        where T : unmanaged
    {
        if (tensor.Type != expected)
        {
            throw new ArgumentException($"gguf: tensor '{tensor.Name}' is {tensor.Type}, not {expected}", nameof(tensor));
        }

        return MemoryMarshal.Cast<byte, T>(GetBytes(tensor));
    }

    private void CheckOwned(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_tensorsByName.TryGetValue(tensor.Name, out var own) || !ReferenceEquals(own, tensor))
        {
            throw new ArgumentException($"gguf: tensor '{tensor.Name}' does not belong to {Source}", nameof(tensor));
        }
    }

    private void Parse(GgufCursor cursor)
    {
        uint magic = cursor.UInt32("magic");
        if (magic != Magic)
        {
            throw new ModelFormatException(FormatName, $"bad magic 0x{magic:X8}, expected 0x{Magic:X8} (\"GGUF\"){(magic == 0x47475546 ? " — a big-endian GGUF, which is not supported" : string.Empty)} in {cursor.Where}");
        }

        Version = cursor.UInt32("version");
        if (Version is not (2 or 3))
        {
            throw new ModelFormatException(FormatName, $"version {Version} is not supported, expected 2 or 3{(Version == 1 ? " (v1 used 32-bit counts; re-convert the model)" : string.Empty)} in {cursor.Where}");
        }

        // Smallest possible tensor info: empty name (8) + n_dims (4) + type (4) + offset (8).
        long tensorCount = cursor.Count("tensor count", 24);
        // Smallest possible key/value: empty key (8) + type (4) + one-byte value.
        long keyValueCount = cursor.Count("metadata key/value count", 13);
        for (long i = 0; i < keyValueCount; i++)
        {
            long at = cursor.Position;
            string key = DecodeName(cursor.StringBytes($"key of metadata item {i}"), "metadata key", at, cursor.Where);
            var type = (GgufValueType)cursor.UInt32($"type of '{key}'");
            var value = ReadValue(cursor, type, key, 0);
            if (!_metadataByKey.TryAdd(key, value))
            {
                throw new ModelFormatException(FormatName, $"metadata key '{key}' appears twice (second at offset {at}) in {cursor.Where}");
            }

            _metadata.Add(new(key, value));
        }

        if (_metadataByKey.TryGetValue(AlignmentKey, out var alignment))
        {
            if (alignment.Type != GgufValueType.UInt32)
            {
                throw new ModelFormatException(FormatName, $"'{AlignmentKey}' must be UInt32, found {alignment.Type} in {cursor.Where}");
            }

            uint value = (uint)alignment.Raw;
            if (value == 0 || (value & (value - 1)) != 0 || value > (1u << 30))
            {
                throw new ModelFormatException(FormatName, $"'{AlignmentKey}' is {value}, expected a power of two in {cursor.Where}");
            }

            Alignment = (int)value;
        }

        var pending = new List<(string Name, GgmlType Type, long[] Dims, long Elements, ulong Offset, long Bytes)>();
        for (long i = 0; i < tensorCount; i++)
        {
            pending.Add(ReadTensorInfo(cursor, i));
        }

        long headerEnd = cursor.Position;
        DataOffset = checked(headerEnd + ((Alignment - (headerEnd % Alignment)) % Alignment));
        long dataLength = Math.Max(0, _source.Length - DataOffset);
        foreach (var (name, type, dims, elements, offset, bytes) in pending)
        {
            if (offset % (ulong)Alignment != 0)
            {
                throw new ModelFormatException(FormatName, $"tensor '{name}': data offset {offset} is not a multiple of the alignment {Alignment} in {cursor.Where}");
            }

            if (offset > (ulong)dataLength || bytes > dataLength - (long)offset)
            {
                throw new ModelFormatException(FormatName, $"tensor '{name}': {bytes} bytes at data offset {offset} run past the end of the {dataLength}-byte data section (file truncated?) in {cursor.Where}");
            }

            var info = new GgufTensorInfo(name, type, dims, elements, DataOffset + (long)offset, bytes);
            _tensors.Add(info);
            _tensorsByName.Add(name, info);
        }

        var byOffset = _tensors.OrderBy(t => t.Offset).ThenBy(t => t.ByteLength).ToList();
        for (int i = 1; i < byOffset.Count; i++)
        {
            var previous = byOffset[i - 1];
            if (byOffset[i].Offset < previous.Offset + previous.ByteLength)
            {
                throw new ModelFormatException(FormatName, $"tensor '{byOffset[i].Name}' at data offset {byOffset[i].Offset - DataOffset} overlaps tensor '{previous.Name}' ending at {previous.Offset + previous.ByteLength - DataOffset} in {cursor.Where}");
            }
        }
    }

    private (string Name, GgmlType Type, long[] Dims, long Elements, ulong Offset, long Bytes) ReadTensorInfo(GgufCursor cursor, long index)
    {
        long at = cursor.Position;
        string name = DecodeName(cursor.StringBytes($"name of tensor {index}"), "tensor name", at, cursor.Where);
        if (!_pendingNames.Add(name))
        {
            throw new ModelFormatException(FormatName, $"tensor name '{name}' appears twice (second at offset {at}) in {cursor.Where}");
        }

        uint dimensionCount = cursor.UInt32($"dimension count of '{name}'");
        if (dimensionCount > MaxDimensions)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}' has {dimensionCount} dimensions, at most {MaxDimensions} allowed, in {cursor.Where}");
        }

        var dims = new long[dimensionCount];
        long elements = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            ulong dim = cursor.UInt64($"dimension {d} of '{name}'");
            if (dim > long.MaxValue || (dim != 0 && elements > long.MaxValue / (long)dim))
            {
                throw new ModelFormatException(FormatName, $"tensor '{name}': dimension {d} = {dim} makes the element count overflow 64 bits in {cursor.Where}");
            }

            dims[d] = (long)dim;
            elements *= (long)dim;
        }

        uint typeCode = cursor.UInt32($"type of '{name}'");
        if (!GgmlTypeInfo.IsKnown(typeCode))
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}' has unknown or unsupported ggml type {typeCode} in {cursor.Where}");
        }

        var type = (GgmlType)typeCode;
        int blockSize = type.BlockSize();
        long rowLength = dimensionCount == 0 ? 1 : dims[0];
        if (rowLength % blockSize != 0)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}' is {type} with rows of {rowLength} values, not a multiple of the block size {blockSize}, in {cursor.Where}");
        }

        long blocks = elements / blockSize;
        if (blocks > long.MaxValue / type.BlockBytes())
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': byte size overflows 64 bits in {cursor.Where}");
        }

        ulong offset = cursor.UInt64($"data offset of '{name}'");
        return (name, type, dims, elements, offset, blocks * type.BlockBytes());
    }

    private static GgufValue ReadValue(GgufCursor cursor, GgufValueType type, string key, int depth)
    {
        switch (type)
        {
            case GgufValueType.UInt8: return GgufValue.FromBoxedScalar(type, cursor.Take(1, key)[0]);
            case GgufValueType.Int8: return GgufValue.FromBoxedScalar(type, (sbyte)cursor.Take(1, key)[0]);
            case GgufValueType.UInt16: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<ushort>(1, key)[0]);
            case GgufValueType.Int16: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<short>(1, key)[0]);
            case GgufValueType.UInt32: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<uint>(1, key)[0]);
            case GgufValueType.Int32: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<int>(1, key)[0]);
            case GgufValueType.Float32: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<float>(1, key)[0]);
            case GgufValueType.UInt64: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<ulong>(1, key)[0]);
            case GgufValueType.Int64: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<long>(1, key)[0]);
            case GgufValueType.Float64: return GgufValue.FromBoxedScalar(type, cursor.ReadArray<double>(1, key)[0]);
            case GgufValueType.Bool: return GgufValue.FromBoxedScalar(type, ReadBools(cursor, 1, key)[0]);
            case GgufValueType.String: return GgufValue.FromRawString(cursor.StringBytes(key));
            case GgufValueType.Array: return ReadArray(cursor, key, depth);
            default:
                throw new ModelFormatException(FormatName, $"metadata '{key}' has unknown value type {(uint)type} at offset {cursor.Position - 4} in {cursor.Where}");
        }
    }

    private static GgufValue ReadArray(GgufCursor cursor, string key, int depth)
    {
        if (depth >= MaxArrayNesting)
        {
            throw new ModelFormatException(FormatName, $"metadata '{key}' nests arrays deeper than {MaxArrayNesting} in {cursor.Where}");
        }

        var elementType = (GgufValueType)cursor.UInt32($"element type of '{key}'");
        long minBytes = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
            GgufValueType.Array => 12,
            _ => throw new ModelFormatException(FormatName, $"metadata '{key}' is an array of unknown value type {(uint)elementType} in {cursor.Where}"),
        };
        long count = cursor.Count($"element count of '{key}'", minBytes);
        string what = $"elements of '{key}'";
        Array values = elementType switch
        {
            GgufValueType.UInt8 => cursor.ReadArray<byte>(count, what),
            GgufValueType.Int8 => cursor.ReadArray<sbyte>(count, what),
            GgufValueType.UInt16 => cursor.ReadArray<ushort>(count, what),
            GgufValueType.Int16 => cursor.ReadArray<short>(count, what),
            GgufValueType.UInt32 => cursor.ReadArray<uint>(count, what),
            GgufValueType.Int32 => cursor.ReadArray<int>(count, what),
            GgufValueType.Float32 => cursor.ReadArray<float>(count, what),
            GgufValueType.UInt64 => cursor.ReadArray<ulong>(count, what),
            GgufValueType.Int64 => cursor.ReadArray<long>(count, what),
            GgufValueType.Float64 => cursor.ReadArray<double>(count, what),
            GgufValueType.Bool => ReadBools(cursor, count, what),
            GgufValueType.String => ReadStrings(cursor, count, key),
            _ => ReadNested(cursor, count, key, depth),
        };
        return GgufValue.FromRawArray(elementType, values);
    }

    private static bool[] ReadBools(GgufCursor cursor, long count, string what)
    {
        long at = cursor.Position;
        var bytes = cursor.Take(count, what);
        var result = new bool[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] > 1)
            {
                throw new ModelFormatException(FormatName, $"{what}: bool byte at offset {at + i} is {bytes[i]}, expected 0 or 1 in {cursor.Where}");
            }

            result[i] = bytes[i] == 1;
        }

        return result;
    }

    private static byte[][] ReadStrings(GgufCursor cursor, long count, string key)
    {
        var result = new byte[count][];
        for (long i = 0; i < count; i++)
        {
            result[i] = cursor.StringBytes($"string {i} of '{key}'");
        }

        return result;
    }

    private static GgufValue[] ReadNested(GgufCursor cursor, long count, string key, int depth)
    {
        var result = new GgufValue[count];
        for (long i = 0; i < count; i++)
        {
            result[i] = ReadArray(cursor, $"{key}[{i}]", depth + 1);
        }

        return result;
    }

    private static string DecodeName(byte[] utf8, string what, long at, string where)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ModelFormatException(FormatName, $"{what} at offset {at} is not valid UTF-8 in {where}", ex);
        }
    }
}
