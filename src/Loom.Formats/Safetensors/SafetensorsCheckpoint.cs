namespace Loom.Formats.Safetensors;

/// <summary>
/// The tensors of a Hugging Face checkpoint folder seen as one set: either a single <c>model.safetensors</c> or
/// the shards listed by <c>model.safetensors.index.json</c>. Every shard is memory-mapped; the index and the
/// shards must agree exactly (each listed tensor is in its shard, each shard tensor is listed, no name twice).
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, (SafetensorsFile File, SafetensorsEntry Entry)> _byName;

    private SafetensorsCheckpoint(List<SafetensorsFile> files, Dictionary<string, (SafetensorsFile, SafetensorsEntry)> byName)
    {
        _files = files;
        _byName = byName;
    }

    /// <summary>The opened shard files (one for an unsharded checkpoint).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>All tensor names.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>Number of tensors over all shards.</summary>
    public int Count => _byName.Count;

    /// <summary>
    /// Opens <paramref name="path"/>: a folder (index preferred, else <c>model.safetensors</c>), an index file,
    /// or a single <c>.safetensors</c> file.
    /// </summary>
    public static SafetensorsCheckpoint Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            string index = Path.Combine(path, "model.safetensors.index.json");
            string single = Path.Combine(path, "model.safetensors");
            if (File.Exists(index))
            {
                return OpenIndex(index);
            }

            if (File.Exists(single))
            {
                return OpenSingle(single);
            }

            throw new FileNotFoundException($"safetensors: folder {path} has neither model.safetensors nor model.safetensors.index.json");
        }

        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenIndex(path) : OpenSingle(path);
    }

    /// <summary>True when a tensor named <paramref name="name"/> exists in some shard.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The shard holding <paramref name="name"/> and its entry there.</summary>
    public (SafetensorsFile File, SafetensorsEntry Entry) Find(string name) =>
        _byName.TryGetValue(name, out var found)
            ? found
            : throw new KeyNotFoundException($"safetensors: no tensor named '{name}' in the checkpoint ({_byName.Count} tensors in {_files.Count} file(s))");

    /// <summary>Converts the tensor named <paramref name="name"/> to a new float32 array.</summary>
    public float[] ReadFloat32(string name) => Find(name).File.ReadFloat32(name);

    /// <summary>Converts the tensor named <paramref name="name"/> to float32 straight into <paramref name="destination"/>.</summary>
    public void ReadFloat32(string name, Span<float> destination)
    {
        var (file, entry) = Find(name);
        file.ReadFloat32(entry, destination);
    }

    /// <summary>Releases every shard's memory mapping.</summary>
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private static SafetensorsCheckpoint OpenSingle(string path)
    {
        var file = SafetensorsFile.Open(path);
        return new SafetensorsCheckpoint([file], file.Entries.ToDictionary(e => e.Name, e => (file, e), StringComparer.Ordinal));
    }

    private static SafetensorsCheckpoint OpenIndex(string indexPath)
    {
        var index = SafetensorsIndex.Load(indexPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var files = new List<SafetensorsFile>();
        try
        {
            var byName = new Dictionary<string, (SafetensorsFile, SafetensorsEntry)>(StringComparer.Ordinal);
            foreach (string shardName in index.ShardFiles)
            {
                var shard = SafetensorsFile.Open(Path.Combine(folder, shardName));
                files.Add(shard);
                foreach (var entry in shard.Entries)
                {
                    if (!index.WeightMap.TryGetValue(entry.Name, out string? listed) || listed != shardName)
                    {
                        throw new ModelFormatException(SafetensorsFile.FormatName, $"tensor '{entry.Name}' is stored in {shardName} but the index {indexPath} lists it under {listed ?? "no file"}");
                    }

                    byName.Add(entry.Name, (shard, entry));
                }
            }

            foreach (var (tensor, shardName) in index.WeightMap)
            {
                if (!byName.ContainsKey(tensor))
                {
                    throw new ModelFormatException(SafetensorsFile.FormatName, $"the index {indexPath} lists tensor '{tensor}' in {shardName}, but that file does not contain it");
                }
            }

            return new SafetensorsCheckpoint(files, byName);
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }
}
