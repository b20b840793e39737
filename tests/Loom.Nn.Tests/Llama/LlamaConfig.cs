using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loom.Nn.Tests.Llama;

/// <summary>The keys of a Hugging Face LLaMA config.json this model reads.</summary>
internal sealed class LlamaConfig
{
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; }

    [JsonPropertyName("hidden_size")]
    public int Channels { get; init; }

    [JsonPropertyName("intermediate_size")]
    public int Inner { get; init; }

    [JsonPropertyName("num_hidden_layers")]
    public int Layers { get; init; }

    [JsonPropertyName("num_attention_heads")]
    public int Heads { get; init; }

    [JsonPropertyName("num_key_value_heads")]
    public int? KvHeads { get; init; }

    [JsonPropertyName("rms_norm_eps")]
    public float RmsNormEps { get; init; } = 1e-6f;

    [JsonPropertyName("rope_theta")]
    public float RopeTheta { get; init; } = 10000f;

    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; }

    public static LlamaConfig Load(string path) =>
        JsonSerializer.Deserialize<LlamaConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a LLaMA config.");
}
