// State-dict save/load in the spirit of torch.nn.Module.state_dict / load_state_dict(strict=True): names are the
// dotted keys recorded by Weights, storage is safetensors (Loom.Formats), writes are atomic.
using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Nn;

/// <summary>Saves named parameters to a safetensors file and loads them back into existing tensors.</summary>
public static class StateDict
{
    /// <summary>Writes every parameter as F32 under its name (atomically: temporary file + rename).</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> parameters, string path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var writer = new SafetensorsWriter();
        writer.SetMetadata("format", "pt");
        foreach (var (name, tensor) in parameters)
        {
            writer.AddFloat32(name, [.. tensor.Shape.Select(d => (long)d)], tensor.ToArray());
        }

        writer.Save(path);
    }

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="parameters"/> in place. Throws
    /// <see cref="StateDictException"/> for a parameter the checkpoint lacks (missing key), a shape difference, and —
    /// when <paramref name="strict"/> — a checkpoint tensor no parameter uses (unexpected key); nothing is modified
    /// when it throws.
    /// </summary>
    public static void Load(IEnumerable<KeyValuePair<string, Tensor>> parameters, SafetensorsCheckpoint checkpoint, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var list = parameters.ToList();
        var missing = list.Where(p => !checkpoint.Contains(p.Key)).Select(p => $"'{p.Key}'").ToList();
        if (missing.Count > 0)
        {
            throw new StateDictException($"Missing key{(missing.Count > 1 ? "s" : string.Empty)} in the checkpoint: {string.Join(", ", missing)}.");
        }

        if (strict)
        {
            var known = list.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var unexpected = checkpoint.Names.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal).Select(n => $"'{n}'").ToList();
            if (unexpected.Count > 0)
            {
                throw new StateDictException($"Unexpected key{(unexpected.Count > 1 ? "s" : string.Empty)} in the checkpoint: {string.Join(", ", unexpected)}.");
            }
        }

        foreach (var (name, tensor) in list)
        {
            var entry = checkpoint.Find(name).Entry;
            if (!entry.Shape.Select(d => (int)d).SequenceEqual(tensor.Shape))
            {
                throw new StateDictException($"Shape mismatch for '{name}': the model has {WeightStore.Format(tensor.Shape)}, the checkpoint holds {entry.ShapeText}.");
            }
        }

        foreach (var (name, tensor) in list)
        {
            checkpoint.ReadFloat32(name).CopyTo(tensor.AsSpan());
        }
    }
}
