// The architecture-independent part of a Hugging Face config.json (PretrainedConfig: architectures, model_type,
// is_encoder_decoder), read first so that AutoModel can choose the class, as transformers' AutoConfig does.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loom.Models.Auto;

/// <summary>The keys of <c>config.json</c> that identify a model's family and class.</summary>
public sealed class AutoConfig
{
    /// <summary>HF class names, e.g. <c>["LlamaForCausalLM"]</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>Family key, e.g. <c>llama</c>.</summary>
    [JsonPropertyName("model_type")]
    public string? ModelType { get; init; }

    /// <summary>True for encoder-decoder models (BART, T5).</summary>
    [JsonPropertyName("is_encoder_decoder")]
    public bool IsEncoderDecoder { get; init; }

    /// <summary>Whether the output head shares the token embedding (HF default true).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Reads <c>dir/config.json</c>.</summary>
    public static AutoConfig Load(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var path = Path.Combine(dir, "config.json");
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Expected a Hugging Face config at {path}; found no such file.");
        }

        try
        {
            return JsonSerializer.Deserialize<AutoConfig>(File.ReadAllText(path)) ?? throw new ModelLoadException($"{path}: expected a JSON object, found null.");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{path}: not a valid config: {e.Message}", e);
        }
    }
}
