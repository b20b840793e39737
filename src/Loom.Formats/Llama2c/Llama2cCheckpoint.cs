// Reader for llama2.c float32 checkpoints (karpathy/llama2.c): the legacy header of run.c (7 × int32, a negative
// vocab_size meaning a separate classifier follows the freq_cis tables) and export.py's version1_export header
// (u32 magic "ak42", int32 version 1, 7 × int32, u8 shared_classifier, zero padding to 256 bytes) with its own
// tensor order. Version 2 (int8 Q8_0 export for runq.c) is rejected with a clear message.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Loom.Formats.IO;

namespace Loom.Formats.Llama2c;

/// <summary>
/// A llama2.c checkpoint: its <see cref="Config"/> and its float32 arrays in <c>run.c</c>'s order
/// (token_embedding_table, rms_att_weight, wq, wk, wv, wo, rms_ffn_weight, w1, w2, w3, rms_final_weight, and wcls
/// when the classifier is not shared). Data is read in place (memory-mapped when opened by path). The file length
/// must match the header exactly; anything else raises <see cref="ModelFormatException"/>.
/// </summary>
public sealed class Llama2cCheckpoint : IDisposable
{
    /// <summary>The v1 header magic, "ak42" as a little-endian u32.</summary>
    public const uint Magic = 0x616b3432;

    /// <summary>Size of the v1 header.</summary>
    public const int VersionedHeaderBytes = 256;

    /// <summary>Size of the legacy header.</summary>
    public const int LegacyHeaderBytes = 28;

    internal const string FormatName = "llama2.c";

    private readonly ByteSource _source;
    private readonly Dictionary<string, Llama2cTensor> _byName;

    private Llama2cCheckpoint(ByteSource source)
    {
        _source = source;
        try
        {
            (Config, Tensors) = Parse(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }

        _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Model sizes and flags from the header.</summary>
    public Llama2cConfig Config { get; }

    /// <summary>The float arrays in run.c's order.</summary>
    public IReadOnlyList<Llama2cTensor> Tensors { get; }

    /// <summary>Path or "memory"/"stream", for messages.</summary>
    public string Source => _source.Description;

    /// <summary>Opens a checkpoint by path, memory-mapped.</summary>
    public static Llama2cCheckpoint Open(string path) => new(ByteSource.OpenFile(path));

    /// <summary>Parses a checkpoint held in memory (not copied).</summary>
    public static Llama2cCheckpoint FromBytes(ReadOnlyMemory<byte> bytes) => new(new MemoryByteSource(bytes, "memory"));

    /// <summary>Reads a stream to its end (at most <paramref name="maxBytes"/>) and parses it.</summary>
    public static Llama2cCheckpoint FromStream(Stream stream, long maxBytes = int.MaxValue) => new(ByteSource.ReadStream(stream, maxBytes, FormatName));

    /// <summary>The array named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent (e.g. wcls of a shared classifier).</summary>
    public Llama2cTensor GetTensor(string name) => _byName.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"llama2.c: no array named '{name}' in {Source}{(name == "wcls" && Config.SharedClassifier ? " (the classifier shares token_embedding_table)" : string.Empty)}");

    /// <summary>The floats of <paramref name="tensor"/>, without copying.</summary>
    public ReadOnlySpan<float> GetData(Llama2cTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_byName.TryGetValue(tensor.Name, out var own) || !ReferenceEquals(own, tensor))
        {
            throw new ArgumentException($"llama2.c: array '{tensor.Name}' does not belong to {Source}", nameof(tensor));
        }

        if (tensor.ElementCount * 4 > Array.MaxLength)
        {
            throw new NotSupportedException($"llama2.c: array '{tensor.Name}' has {tensor.ElementCount} floats, more than one span can address");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("llama2.c data is little-endian float32; this machine is big-endian");
        }

        return MemoryMarshal.Cast<byte, float>(_source.Slice(tensor.Offset, (int)(tensor.ElementCount * 4)));
    }

    /// <summary>A copy of the array named <paramref name="name"/>.</summary>
    public float[] ReadFloat32(string name) => GetData(GetTensor(name)).ToArray();

    /// <summary>Releases the memory mapping; spans obtained earlier become invalid.</summary>
    public void Dispose() => _source.Dispose();

    private static (Llama2cConfig, IReadOnlyList<Llama2cTensor>) Parse(ByteSource source)
    {
        long length = source.Length;
        if (length < LegacyHeaderBytes)
        {
            throw new ModelFormatException(FormatName, $"file is {length} bytes; expected at least the {LegacyHeaderBytes}-byte header in {source.Description}");
        }

        var start = source.Slice(0, LegacyHeaderBytes);
        int version;
        int headerBytes;
        ReadOnlySpan<byte> fields;
        bool? sharedFlag = null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(start) == Magic)
        {
            if (length < VersionedHeaderBytes)
            {
                throw new ModelFormatException(FormatName, $"file starts with the \"ak42\" magic but is {length} bytes, shorter than the {VersionedHeaderBytes}-byte header in {source.Description}");
            }

            var header = source.Slice(0, VersionedHeaderBytes);
            version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            if (version != 1)
            {
                throw new ModelFormatException(FormatName, $"header version {version} is not supported, expected 1{(version == 2 ? " (version 2 is the int8 Q8_0 export for runq.c)" : string.Empty)} in {source.Description}");
            }

            fields = header.Slice(8, 28);
            byte flag = header[36];
            if (flag > 1)
            {
                throw new ModelFormatException(FormatName, $"shared_classifier flag is {flag}, expected 0 or 1 in {source.Description}");
            }

            sharedFlag = flag == 1;
            headerBytes = VersionedHeaderBytes;
        }
        else
        {
            version = 0;
            fields = start;
            headerBytes = LegacyHeaderBytes;
        }

        Span<int> p = stackalloc int[7];
        for (int i = 0; i < 7; i++)
        {
            p[i] = BinaryPrimitives.ReadInt32LittleEndian(fields[(4 * i)..]);
        }

        int vocab = p[5];
        bool shared = sharedFlag ?? vocab > 0;
        if (sharedFlag is null && vocab != int.MinValue)
        {
            vocab = Math.Abs(vocab);
        }

        var config = new Llama2cConfig(p[0], p[1], p[2], p[3], p[4], vocab, p[6], shared, version);
        Validate(config, source.Description);
        var tensors = Layout(config, headerBytes, out long expectedLength, source.Description);
        if (expectedLength != length)
        {
            throw new ModelFormatException(FormatName, $"header (dim {config.Dim}, hidden {config.HiddenDim}, layers {config.LayerCount}, heads {config.HeadCount}/{config.KvHeadCount}, vocab {config.VocabSize}, seq_len {config.SeqLen}, {(config.SharedClassifier ? "shared" : "separate")} classifier) implies {expectedLength} bytes, but the file has {length}{(length < expectedLength ? " (truncated)" : " (trailing bytes)")} in {source.Description}");
        }

        return (config, tensors);
    }

    private static void Validate(Llama2cConfig c, string where)
    {
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new ModelFormatException(FormatName, $"invalid header: {problem} in {where}");
            }
        }

        Require(c.Dim > 0, $"dim must be positive, found {c.Dim}");
        Require(c.HiddenDim > 0, $"hidden_dim must be positive, found {c.HiddenDim}");
        Require(c.LayerCount > 0, $"n_layers must be positive, found {c.LayerCount}");
        Require(c.HeadCount > 0, $"n_heads must be positive, found {c.HeadCount}");
        Require(c.KvHeadCount > 0, $"n_kv_heads must be positive, found {c.KvHeadCount}");
        Require(c.VocabSize > 0, $"vocab_size must be non-zero and within int range, found {c.VocabSize}");
        Require(c.SeqLen > 0, $"seq_len must be positive, found {c.SeqLen}");
        Require(c.Dim % c.HeadCount == 0, $"dim {c.Dim} is not divisible by n_heads {c.HeadCount}");
        Require(c.KvHeadCount <= c.HeadCount && c.HeadCount % c.KvHeadCount == 0, $"n_heads {c.HeadCount} is not a multiple of n_kv_heads {c.KvHeadCount}");
    }

    private static List<Llama2cTensor> Layout(Llama2cConfig c, int headerBytes, out long totalBytes, string where)
    {
        int l = c.LayerCount, d = c.Dim, f = c.HiddenDim, v = c.VocabSize, kv = c.KvDim;
        var shapes = new Dictionary<string, int[]>
        {
            ["token_embedding_table"] = [v, d],
            ["rms_att_weight"] = [l, d],
            ["wq"] = [l, d, d],
            ["wk"] = [l, kv, d],
            ["wv"] = [l, kv, d],
            ["wo"] = [l, d, d],
            ["rms_ffn_weight"] = [l, d],
            ["w1"] = [l, f, d],
            ["w2"] = [l, d, f],
            ["w3"] = [l, f, d],
            ["rms_final_weight"] = [d],
            ["wcls"] = [v, d],
        };
        string[] fileOrder = c.Version == 0
            ? ["token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1", "w2", "w3", "rms_final_weight", "freq_cis", "wcls"]
            : ["rms_att_weight", "rms_ffn_weight", "rms_final_weight", "token_embedding_table", "wq", "wk", "wv", "wo", "w1", "w2", "w3", "wcls"];
        var offsets = new Dictionary<string, long>();
        long offset = headerBytes;
        foreach (string name in fileOrder)
        {
            if (name == "wcls" && c.SharedClassifier)
            {
                continue;
            }

            // freq_cis_real and freq_cis_imag: seq_len × head_size / 2 floats each, skipped by readers.
            long floats = name == "freq_cis" ? 2 * (Multiply(c.SeqLen, c.HeadSize, where) / 2) : Multiply(shapes[name], where);
            long bytes = Multiply(floats, 4, where);
            if (offset > long.MaxValue - bytes)
            {
                throw new ModelFormatException(FormatName, $"invalid header: total size overflows 64 bits in {where}");
            }

            offsets[name] = offset;
            offset += bytes;
        }

        totalBytes = offset;
        string[] runOrder = ["token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1", "w2", "w3", "rms_final_weight", "wcls"];
        return [.. runOrder.Where(offsets.ContainsKey).Select(name => new Llama2cTensor(name, shapes[name], offsets[name]))];
    }

    private static long Multiply(int[] dims, string where)
    {
        long product = 1;
        foreach (int dim in dims)
        {
            product = Multiply(product, dim, where);
        }

        return product;
    }

    private static long Multiply(long a, long b, string where)
    {
        const long limit = long.MaxValue / 8;
        if (b != 0 && a > limit / b)
        {
            throw new ModelFormatException(FormatName, $"invalid header: sizes overflow ({a} × {b}) in {where}");
        }

        return a * b;
    }
}
