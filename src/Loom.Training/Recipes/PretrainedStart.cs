// Where a recipe's model starts: either fresh (a config written here, a character vocabulary of the training data) or a
// pretrained folder — config.json (HF keys), vocab.json (TokenVocabulary) and weights in model.safetensors, or, for the
// output folder of a `loom train` run, the best checkpoint's (else the latest's) model.safetensors. Like HF
// from_pretrained with a new head, every parameter whose name is in the weights file is copied (shapes checked) and the
// rest (the task head, a pooler the pretraining never had) keep their fresh initialisation.
using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.Core;
using Loom.Formats.Safetensors;
using Loom.Nn;

namespace Loom.Training.Recipes;

/// <summary>The config, vocabulary and (for a pretrained start) weights file a recipe builds its model from.</summary>
public sealed class PretrainedStart
{
    private PretrainedStart(JsonObject config, TokenVocabulary vocabulary, string? weightsFile)
    {
        (Config, Vocabulary, WeightsFile) = (config, vocabulary, weightsFile);
    }

    /// <summary>config.json as HF keys; a recipe adds its head's keys (architectures, id2label) before binding it.</summary>
    public JsonObject Config { get; }

    /// <summary>The token vocabulary.</summary>
    public TokenVocabulary Vocabulary { get; }

    /// <summary>The safetensors file of pretrained weights (null: fresh start).</summary>
    public string? WeightsFile { get; }

    /// <summary>A fresh start from <paramref name="config"/> (HF keys) and <paramref name="vocabulary"/>.</summary>
    public static PretrainedStart Fresh(JsonObject config, TokenVocabulary vocabulary) => new(config, vocabulary, null);

    /// <summary>Reads the pretrained folder <paramref name="folder"/> (setting <c>model</c>); throws naming what is missing.</summary>
    public static PretrainedStart FromFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Setting 'model': '{folder}' is not a folder.");
        }

        var configPath = Path.Combine(folder, "config.json");
        var vocabularyPath = Path.Combine(folder, "vocab.json");
        if (!File.Exists(configPath) || !File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"Setting 'model': '{folder}' needs config.json and vocab.json (a JSON array of tokens, as `loom train pretrain` writes); found {(File.Exists(configPath) ? "no vocab.json" : "no config.json")}.");
        }

        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject ?? throw new FormatException($"{configPath}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{configPath}: not valid JSON ({e.Message}).", e);
        }

        return new PretrainedStart(config, TokenVocabulary.Load(vocabularyPath), WeightsIn(folder));
    }

    /// <summary>Binds <see cref="Config"/> to <typeparamref name="TConfig"/> (an HF-keyed config class of Loom.Models).</summary>
    public TConfig Bind<TConfig>()
        where TConfig : class
    {
        try
        {
            return Config.Deserialize<TConfig>() ?? throw new FormatException($"config.json: expected a {typeof(TConfig).Name}; found null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"config.json: not a valid {typeof(TConfig).Name} ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Copies every tensor of <see cref="WeightsFile"/> whose name is a parameter of <paramref name="parameters"/> into it
    /// and returns the names left at their initialisation (all of them for a fresh start). Throws
    /// <see cref="StateDictException"/> for a shape difference or when no name matches at all.
    /// </summary>
    public IReadOnlyList<string> LoadInto(IReadOnlyList<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (WeightsFile is null)
        {
            return [.. parameters.Select(p => p.Key)];
        }

        using var checkpoint = SafetensorsCheckpoint.Open(WeightsFile);
        var matching = parameters.Where(p => checkpoint.Contains(p.Key)).ToList();
        if (matching.Count == 0)
        {
            throw new StateDictException($"{WeightsFile}: no tensor is named like a parameter of the model (such as '{parameters[0].Key}').");
        }

        StateDict.Load(matching, checkpoint, strict: false);
        return [.. parameters.Where(p => !checkpoint.Contains(p.Key)).Select(p => p.Key)];
    }

    /// <summary>Writes config.json and vocab.json into <paramref name="output"/>.</summary>
    public void Save(string output)
    {
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "config.json"), Config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Vocabulary.Save(Path.Combine(output, "vocab.json"));
    }

    // model.safetensors of the folder, else of its best (else latest) trainer checkpoint.
    private static string WeightsIn(string folder)
    {
        var direct = Path.Combine(folder, "model.safetensors");
        if (File.Exists(direct))
        {
            return direct;
        }

        var latest = TrainerCheckpoint.Latest(folder)
            ?? throw new FileNotFoundException($"Setting 'model': '{folder}' has neither model.safetensors nor a {TrainerCheckpoint.Prefix}<step> folder.");
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(latest, "trainer_state.json")));
        var best = state.RootElement.TryGetProperty("best_step", out var step) && step.ValueKind == JsonValueKind.Number
            ? TrainerCheckpoint.FolderOf(folder, step.GetInt32()) : latest;
        return Path.Combine(Directory.Exists(best) ? best : latest, "model.safetensors");
    }
}
