// Reader for the safetensors format: huggingface/safetensors README ("Format") and the reference reader's checks
// in safetensors/src/tensor.rs (header size limit, '{' start, offsets contiguous from 0 to the end of the buffer,
// byte length = element count × element size).
using System.Buffers.Binary;
using System.Text.Json;
using Loom.Formats.IO;

namespace Loom.Formats.Safetensors;

/// <summary>
/// A parsed safetensors file: <c>u64</c> little-endian header length N, N bytes of JSON describing every tensor
/// (dtype, shape, byte range in the data section) plus optional string metadata, then the raw little-endian data.
/// Opened by path the file is memory-mapped and <see cref="GetBytes"/> returns views into the mapping (valid until
/// <see cref="Dispose"/>); a byte array or stream is read into memory. Every malformed input raises
/// <see cref="ModelFormatException"/>.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The largest JSON header accepted (the reference library's limit, 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    internal const string FormatName = "safetensors";
    private const string MetadataKey = "__metadata__";

    private readonly ByteSource _source;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsFile(ByteSource source)
    {
        _source = source;
        try
        {
            (Metadata, Entries) = Parse(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }

        _byName = Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>Metadata strings from the header's <c>__metadata__</c> object (e.g. <c>format = pt</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All tensors in data order (ascending offset).</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>Path or "stream"/"memory", for messages.</summary>
    public string Source => _source.Description;

    /// <summary>Opens a file by path, memory-mapped.</summary>
    public static SafetensorsFile Open(string path) => new(ByteSource.OpenFile(path));

    /// <summary>Parses a file held in memory (the buffer is not copied; do not modify it while in use).</summary>
    public static SafetensorsFile FromBytes(ReadOnlyMemory<byte> bytes) => new(new MemoryByteSource(bytes, "memory"));

    /// <summary>Reads a stream to its end (at most <paramref name="maxBytes"/> bytes) and parses it.</summary>
    public static SafetensorsFile FromStream(Stream stream, long maxBytes = int.MaxValue) =>
        new(ByteSource.ReadStream(stream, maxBytes, FormatName));

    /// <summary>True when a tensor named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetEntry(string name, out SafetensorsEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>The tensor named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming the file when absent.</summary>
    public SafetensorsEntry GetEntry(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"safetensors: no tensor named '{name}' in {Source} ({Entries.Count} tensors)");

    /// <summary>The raw little-endian bytes of <paramref name="entry"/>, without copying.</summary>
    public ReadOnlySpan<byte> GetBytes(SafetensorsEntry entry)
    {
        CheckOwned(entry);
        if (entry.ByteLength > Array.MaxLength)
        {
            throw new NotSupportedException($"safetensors: tensor '{entry.Name}' has {entry.ByteLength} bytes, more than one span can address");
        }

        return _source.Slice(entry.Offset, (int)entry.ByteLength);
    }

    /// <summary>Converts an F32/F16/BF16/F64 tensor to float32 into <paramref name="destination"/> (length = element count).</summary>
    public void ReadFloat32(SafetensorsEntry entry, Span<float> destination)
    {
        CheckOwned(entry);
        if (destination.Length != entry.ElementCount)
        {
            throw new ArgumentException($"safetensors: tensor '{entry.Name}' {entry.ShapeText} has {entry.ElementCount} elements, destination has {destination.Length}", nameof(destination));
        }

        var bytes = GetBytes(entry);
        switch (entry.DType)
        {
            case SafetensorsDType.F32:
                FloatConversion.Float32BytesToFloat32(bytes, destination);
                break;
            case SafetensorsDType.F16:
                FloatConversion.Float16BytesToFloat32(bytes, destination);
                break;
            case SafetensorsDType.BF16:
                FloatConversion.BFloat16BytesToFloat32(bytes, destination);
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                }

                break;
            default:
                throw new NotSupportedException($"safetensors: tensor '{entry.Name}' is {entry.DType}; only F32, F16, BF16 and F64 convert to float32");
        }
    }

    /// <summary>Converts the tensor named <paramref name="name"/> to a new float32 array.</summary>
    public float[] ReadFloat32(string name)
    {
        var entry = GetEntry(name);
        if (entry.ElementCount > Array.MaxLength)
        {
            throw new NotSupportedException($"safetensors: tensor '{name}' has {entry.ElementCount} elements, more than one array holds");
        }

        var values = new float[entry.ElementCount];
        ReadFloat32(entry, values);
        return values;
    }

    /// <summary>Releases the memory mapping; spans obtained earlier become invalid.</summary>
    public void Dispose() => _source.Dispose();

    private void CheckOwned(SafetensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_byName.TryGetValue(entry.Name, out var own) || !ReferenceEquals(own, entry))
        {
            throw new ArgumentException($"safetensors: entry '{entry.Name}' does not belong to {Source}", nameof(entry));
        }
    }

    private static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SafetensorsEntry> Entries) Parse(ByteSource source)
    {
        long fileLength = source.Length;
        if (fileLength < 8)
        {
            throw new ModelFormatException(FormatName, $"file is {fileLength} bytes long; expected at least 8 (the header length) in {source.Description}");
        }

        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(0, 8));
        if (declared > MaxHeaderBytes)
        {
            throw new ModelFormatException(FormatName, $"header length {declared} exceeds the limit of {MaxHeaderBytes} bytes in {source.Description}");
        }

        if ((long)declared > fileLength - 8)
        {
            throw new ModelFormatException(FormatName, $"header length {declared} runs past the end of the file ({fileLength} bytes, so at most {fileLength - 8}) in {source.Description}");
        }

        int headerLength = (int)declared;
        var header = source.Slice(8, headerLength);
        if (headerLength == 0 || header[0] != (byte)'{')
        {
            throw new ModelFormatException(FormatName, $"header must be a JSON object starting with '{{', found {(headerLength == 0 ? "an empty header" : $"byte 0x{header[0]:X2}")} in {source.Description}");
        }

        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new ModelFormatException(FormatName, $"header is not valid UTF-8 in {source.Description}");
        }

        long dataStart = 8 + headerLength;
        long dataLength = fileLength - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(FormatName, $"header is not valid JSON ({ex.Message}) in {source.Description}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(FormatName, $"header must be a JSON object, found {root.ValueKind} in {source.Description}");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new ModelFormatException(FormatName, $"key '{property.Name}' appears twice in the header of {source.Description}");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source.Description);
                }
                else
                {
                    entries.Add(ReadEntry(property.Name, property.Value, dataStart, source.Description));
                }
            }

            entries.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.ByteLength.CompareTo(b.ByteLength));
            CheckCoverage(entries, dataStart, dataLength, source.Description);
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string where)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException(FormatName, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind} in {where}");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new ModelFormatException(FormatName, $"metadata value '{item.Name}' must be a string, found {item.Value.ValueKind} in {where}");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new ModelFormatException(FormatName, $"metadata key '{item.Name}' appears twice in {where}");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataStart, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': expected an object with dtype, shape and data_offsets, found {value.ValueKind} in {where}");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': missing or non-string 'dtype' in {where}");
        }

        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypeInfo.TryParse(dtypeName, out var dtype))
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': unknown dtype '{dtypeName}' in {where}");
        }

        long[] shape = ReadNonNegativeIntegers(name, value, "shape", expectedCount: null, where);
        long[] offsets = ReadNonNegativeIntegers(name, value, "data_offsets", expectedCount: 2, where);
        long elementCount = 1;
        foreach (long dimension in shape)
        {
            if (dimension != 0 && elementCount > long.MaxValue / dimension)
            {
                throw new ModelFormatException(FormatName, $"tensor '{name}': shape [{string.Join(", ", shape)}] has more elements than a 64-bit count holds in {where}");
            }

            elementCount *= dimension;
        }

        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin in {where}");
        }

        int size = dtype.SizeInBytes();
        if (elementCount > long.MaxValue / size || elementCount * size != end - begin)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': {dtype} shape [{string.Join(", ", shape)}] has {elementCount} elements of {size} bytes, but data_offsets [{begin}, {end}] span {end - begin} bytes in {where}");
        }

        if (begin > long.MaxValue - dataStart)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': data_offsets [{begin}, {end}] are out of range in {where}");
        }

        return new SafetensorsEntry(name, dtype, shape, elementCount, dataStart + begin, end - begin);
    }

    private static long[] ReadNonNegativeIntegers(string name, JsonElement value, string field, int? expectedCount, string where)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': missing or non-array '{field}' in {where}");
        }

        int count = array.GetArrayLength();
        if (expectedCount is int expected && count != expected)
        {
            throw new ModelFormatException(FormatName, $"tensor '{name}': '{field}' must have {expected} numbers, found {count} in {where}");
        }

        var result = new long[count];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
            {
                throw new ModelFormatException(FormatName, $"tensor '{name}': '{field}' item {i} must be a non-negative integer, found {item.GetRawText()} in {where}");
            }

            result[i++] = number;
        }

        return result;
    }

    private static void CheckCoverage(List<SafetensorsEntry> entries, long dataStart, long dataLength, string where)
    {
        long expectedOffset = dataStart;
        foreach (var entry in entries)
        {
            if (entry.Offset < expectedOffset)
            {
                throw new ModelFormatException(FormatName, $"tensor '{entry.Name}': data_offsets begin at {entry.Offset - dataStart}, overlapping the previous tensor which ends at {expectedOffset - dataStart}, in {where}");
            }

            if (entry.Offset > expectedOffset)
            {
                throw new ModelFormatException(FormatName, $"tensor '{entry.Name}': data_offsets begin at {entry.Offset - dataStart}, leaving a gap after byte {expectedOffset - dataStart} of the data section, in {where}");
            }

            if (entry.ByteLength > dataLength - (entry.Offset - dataStart))
            {
                throw new ModelFormatException(FormatName, $"tensor '{entry.Name}': data_offsets [{entry.Offset - dataStart}, {entry.Offset - dataStart + entry.ByteLength}] run past the end of the {dataLength}-byte data section (file truncated?) in {where}");
            }

            expectedOffset = entry.Offset + entry.ByteLength;
        }

        if (expectedOffset - dataStart != dataLength)
        {
            throw new ModelFormatException(FormatName, $"tensors cover {expectedOffset - dataStart} bytes but the data section holds {dataLength} in {where}");
        }
    }
}
