using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loom.Nn.Tests.Gpt2;

/// <summary>The keys of a Hugging Face GPT-2 config.json this model reads.</summary>
internal sealed class Gpt2Config
{
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; }

    [JsonPropertyName("n_positions")]
    public int Positions { get; init; }

    [JsonPropertyName("n_embd")]
    public int Channels { get; init; }

    [JsonPropertyName("n_layer")]
    public int Layers { get; init; }

    [JsonPropertyName("n_head")]
    public int Heads { get; init; }

    [JsonPropertyName("n_inner")]
    public int? Inner { get; init; }

    [JsonPropertyName("layer_norm_epsilon")]
    public float LayerNormEps { get; init; } = 1e-5f;

    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; init; } = "gelu_new";

    public static Gpt2Config Load(string path) =>
        JsonSerializer.Deserialize<Gpt2Config>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a GPT-2 config.");
}
