// Loading a Hugging Face model folder (config.json + model.safetensors or its sharded index) the way
// PreTrainedModel.from_pretrained does for the parts Loom needs: the config bound to a typed class, every parameter
// read by name with its shape checked, and no checkpoint tensor left unused.
using System.Text.Json;
using Loom.Formats.Safetensors;
using Loom.Nn;

namespace Loom.Models.Decoding;

/// <summary>Reads <c>config.json</c> and builds a model from the folder's safetensors checkpoint.</summary>
public static class HfCheckpoint
{
    /// <summary>Deserialises <c>dir/config.json</c> into <typeparamref name="TConfig"/>.</summary>
    public static TConfig ReadConfig<TConfig>(string dir)
        where TConfig : class
    {
        ArgumentNullException.ThrowIfNull(dir);
        var path = Path.Combine(dir, "config.json");
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Expected a Hugging Face config at {path}; found no such file.");
        }

        try
        {
            return JsonSerializer.Deserialize<TConfig>(File.ReadAllText(path))
                ?? throw new ModelLoadException($"{path}: expected a JSON object, found null.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path}: not a valid {typeof(TConfig).Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Throws <see cref="ModelLoadException"/> when the config of <paramref name="dir"/> lists architectures and
    /// <paramref name="expected"/> is not among them.
    /// </summary>
    public static void RequireArchitecture(string dir, IReadOnlyList<string>? listed, string expected)
    {
        if (listed is { Count: > 0 } && !listed.Contains(expected))
        {
            throw new ModelLoadException($"{dir}: expected architecture {expected}; found {string.Join(", ", listed)}.");
        }
    }

    /// <summary>
    /// Opens the checkpoint in <paramref name="dir"/>, lets <paramref name="build"/> bind every parameter (a missing or
    /// mis-shaped tensor throws <see cref="StateDictException"/> naming it), then checks that no checkpoint tensor was
    /// left unused.
    /// </summary>
    public static TModel Load<TModel>(string dir, Func<Weights, TModel> build)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(build);
        using var checkpoint = SafetensorsCheckpoint.Open(dir);
        var weights = Weights.FromCheckpoint(checkpoint);
        weights.Training = false;
        var model = build(weights);
        weights.EnsureAllCheckpointKeysUsed();
        weights.AdviseHugePages(); // inference streams every weight once per token
        return model;
    }

    /// <summary>
    /// Loads a bare base model (HF BartModel, T5Model) from its own checkpoint or, as from_pretrained does, from one saved
    /// by the task model: when the file's keys start with <c><paramref name="taskPrefix"/>.</c> the model binds under that
    /// scope; the task head's keys (outside that scope, or matching <paramref name="isHeadKey"/>) are left unused.
    /// </summary>
    public static TModel LoadBase<TModel>(string dir, string? taskPrefix, Func<string, bool> isHeadKey, Func<Weights, TModel> build)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(isHeadKey);
        ArgumentNullException.ThrowIfNull(build);
        using var checkpoint = SafetensorsCheckpoint.Open(dir);
        var root = Weights.FromCheckpoint(checkpoint);
        var prefixed = taskPrefix is not null && checkpoint.Names.Any(n => n.StartsWith(taskPrefix + ".", StringComparison.Ordinal));
        var model = build(prefixed ? root.Scope(taskPrefix!) : root);
        root.EnsureAllCheckpointKeysUsed(k => isHeadKey(k) || (prefixed && !k.StartsWith(taskPrefix + ".", StringComparison.Ordinal)));
        root.AdviseHugePages();
        return model;
    }
}
