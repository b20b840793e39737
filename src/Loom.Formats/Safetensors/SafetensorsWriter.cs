// Writer for the safetensors format, laid out like the reference writer (huggingface/safetensors,
// safetensors/src/tensor.rs, prepare/serialize): compact JSON header with __metadata__ first, tensors sorted by
// dtype (descending, in the library's dtype order) then by name, header padded with spaces to a multiple of 8,
// data packed without gaps. A file written here from the tensors of a reference-written file is byte-identical.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Loom.Formats.IO;

namespace Loom.Formats.Safetensors;

/// <summary>
/// Collects tensors (raw bytes, or float32 values stored as F32 / F16 / BF16) and metadata, then writes a
/// safetensors file. <see cref="Save"/> is atomic: a temporary file renamed over the destination.
/// </summary>
public sealed class SafetensorsWriter
{
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly List<Tensor> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Number of tensors added so far.</summary>
    public int Count => _tensors.Count;

    /// <summary>Bytes of tensor data added so far (excluding the header).</summary>
    public long DataByteCount { get; private set; }

    /// <summary>Sets a <c>__metadata__</c> string (kept in insertion order; setting a key again replaces its value).</summary>
    public void SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int existing = _metadata.FindIndex(p => p.Key == key);
        if (existing >= 0)
        {
            _metadata[existing] = new(key, value);
        }
        else
        {
            _metadata.Add(new(key, value));
        }
    }

    /// <summary>Adds a tensor from raw little-endian bytes (not copied: keep the buffer unchanged until written).</summary>
    public void Add(string name, SafetensorsDType dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor", nameof(name));
        }

        long elements = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            }

            elements = checked(elements * dimension);
        }

        long expectedBytes = checked(elements * dtype.SizeInBytes());
        if (expectedBytes != data.Length)
        {
            throw new ArgumentException($"tensor '{name}': {dtype} shape [{string.Join(", ", shape)}] needs {expectedBytes} bytes, found {data.Length}", nameof(data));
        }

        if (!_names.Add(name))
        {
            throw new ArgumentException($"tensor '{name}' was already added", nameof(name));
        }

        _tensors.Add(new Tensor(name, dtype, [.. shape], data));
        DataByteCount += data.Length;
    }

    /// <summary>Adds float32 values, stored as <paramref name="storeAs"/> (F32, F16 or BF16; narrowing rounds to nearest even).</summary>
    public void AddFloat32(string name, IReadOnlyList<long> shape, ReadOnlySpan<float> values, SafetensorsDType storeAs = SafetensorsDType.F32)
    {
        byte[] bytes = storeAs switch
        {
            SafetensorsDType.F32 => new byte[checked(values.Length * 4)],
            SafetensorsDType.F16 or SafetensorsDType.BF16 => new byte[checked(values.Length * 2)],
            _ => throw new ArgumentException($"tensor '{name}': float32 values can be stored as F32, F16 or BF16, not {storeAs}", nameof(storeAs)),
        };
        switch (storeAs)
        {
            case SafetensorsDType.F32:
                for (int i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
                }

                break;
            case SafetensorsDType.F16:
                FloatConversion.Float32ToFloat16Bytes(values, bytes);
                break;
            default:
                FloatConversion.Float32ToBFloat16Bytes(values, bytes);
                break;
        }

        Add(name, storeAs, shape, bytes);
    }

    /// <summary>Writes the file atomically (temporary file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var ordered = OrderedTensors();
        byte[] header = BuildHeader(ordered);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in ordered)
        {
            stream.Write(tensor.Data.Span);
        }
    }

    /// <summary>
    /// Writes the tensors into <paramref name="folder"/> as Hugging Face does: one <c>{baseName}.safetensors</c> when
    /// everything fits in <paramref name="maxShardBytes"/>, otherwise shards <c>{baseName}-00001-of-0000N.safetensors</c>
    /// filled in the order tensors were added (a tensor larger than the limit gets a shard of its own) plus
    /// <c>{baseName}.safetensors.index.json</c>. Every file is written atomically. Returns the file names written.
    /// </summary>
    public IReadOnlyList<string> SaveSharded(string folder, long maxShardBytes, string baseName = "model")
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var shards = new List<SafetensorsWriter>();
        foreach (var tensor in _tensors)
        {
            if (shards.Count == 0 || (shards[^1].Count > 0 && shards[^1].DataByteCount + tensor.Data.Length > maxShardBytes))
            {
                var shard = new SafetensorsWriter();
                shard._metadata.AddRange(_metadata);
                shards.Add(shard);
            }

            shards[^1].Add(tensor.Name, tensor.DType, tensor.Shape, tensor.Data);
        }

        if (shards.Count <= 1)
        {
            string single = $"{baseName}.safetensors";
            Save(Path.Combine(folder, single));
            return [single];
        }

        var written = new List<string>();
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string file = string.Create(CultureInfo.InvariantCulture, $"{baseName}-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            shards[i].Save(Path.Combine(folder, file));
            written.Add(file);
            foreach (var tensor in shards[i]._tensors)
            {
                weightMap[tensor.Name] = file;
            }
        }

        string indexFile = $"{baseName}.safetensors.index.json";
        new SafetensorsIndex(DataByteCount, weightMap).Save(Path.Combine(folder, indexFile));
        written.Add(indexFile);
        return written;
    }

    private List<Tensor> OrderedTensors()
    {
        var list = _tensors.ToList();
        list.Sort((a, b) =>
        {
            int byDType = b.DType.CompareTo(a.DType);
            return byDType != 0 ? byDType : CompareUtf8(a.Name, b.Name);
        });
        return list;
    }

    private byte[] BuildHeader(List<Tensor> ordered)
    {
        var json = new StringBuilder("{");
        bool first = true;
        if (_metadata.Count > 0)
        {
            json.Append("\"__metadata__\":{");
            for (int i = 0; i < _metadata.Count; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }

                JsonText.AppendString(json, _metadata[i].Key);
                json.Append(':');
                JsonText.AppendString(json, _metadata[i].Value);
            }

            json.Append('}');
            first = false;
        }

        long offset = 0;
        foreach (var tensor in ordered)
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            JsonText.AppendString(json, tensor.Name);
            json.Append(":{\"dtype\":\"").Append(tensor.DType.HeaderName()).Append("\",\"shape\":[");
            json.AppendJoin(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            long end = offset + tensor.Data.Length;
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }

        json.Append('}');
        int byteCount = Encoding.UTF8.GetByteCount(json.ToString());
        json.Append(' ', (8 - (byteCount % 8)) % 8);
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private sealed record Tensor(string Name, SafetensorsDType DType, long[] Shape, ReadOnlyMemory<byte> Data);
}
