// The sharded-checkpoint index written by Hugging Face transformers (modeling_utils.save_pretrained:
// {"metadata": {"total_size": N}, "weight_map": {tensor name: shard file}}, keys sorted, two-space indent).
using System.Text;
using System.Text.Json;
using Loom.Formats.IO;

namespace Loom.Formats.Safetensors;

/// <summary>
/// <c>model.safetensors.index.json</c>: which shard file holds each tensor, and the total data size.
/// Shard names must be plain file names in the same folder (no directories, no "..").
/// </summary>
public sealed class SafetensorsIndex
{
    /// <summary>Creates an index.</summary>
    public SafetensorsIndex(long? totalSize, IReadOnlyDictionary<string, string> weightMap)
    {
        ArgumentNullException.ThrowIfNull(weightMap);
        foreach (var (tensor, file) in weightMap)
        {
            CheckShardName(tensor, file, "index");
        }

        TotalSize = totalSize;
        WeightMap = new SortedDictionary<string, string>(weightMap.ToDictionary(), StringComparer.Ordinal);
    }

    /// <summary>The <c>metadata.total_size</c> value (bytes of tensor data over all shards), when present.</summary>
    public long? TotalSize { get; }

    /// <summary>Tensor name → shard file name, sorted by tensor name.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The distinct shard files, in order of first appearance in the sorted weight map.</summary>
    public IReadOnlyList<string> ShardFiles => [.. WeightMap.Values.Distinct(StringComparer.Ordinal)];

    /// <summary>Reads and validates an index file.</summary>
    public static SafetensorsIndex Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses index JSON; <paramref name="where"/> names the source in error messages.</summary>
    public static SafetensorsIndex Parse(string json, string where = "index")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where} is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where} must be an object with a 'weight_map' object");
            }

            long? totalSize = null;
            if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("total_size", out var total))
            {
                if (total.ValueKind != JsonValueKind.Number || !total.TryGetDouble(out double size) || size < 0 || size > long.MaxValue)
                {
                    throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where}: metadata.total_size must be a non-negative number, found {total.GetRawText()}");
                }

                totalSize = (long)size;
            }

            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in map.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where}: weight_map['{item.Name}'] must be a file name string, found {item.Value.ValueKind}");
                }

                string file = item.Value.GetString()!;
                CheckShardName(item.Name, file, where);
                if (!weightMap.TryAdd(item.Name, file))
                {
                    throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where}: tensor '{item.Name}' is listed twice in weight_map");
                }
            }

            return new SafetensorsIndex(totalSize, weightMap);
        }
    }

    /// <summary>The JSON text, as transformers writes it (sorted keys, two-space indent, trailing newline).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            if (TotalSize is long total)
            {
                writer.WriteNumber("total_size", total);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("weight_map");
            foreach (var (tensor, file) in WeightMap)
            {
                writer.WriteString(tensor, file);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the index atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(ToJson())));

    private static void CheckShardName(string tensor, string file, string where)
    {
        if (file.Length == 0 || file != Path.GetFileName(file) || file is "." or ".." || file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal))
        {
            throw new ModelFormatException(SafetensorsFile.FormatName, $"index {where}: tensor '{tensor}' maps to '{file}', expected a plain file name in the index's folder");
        }
    }
}
