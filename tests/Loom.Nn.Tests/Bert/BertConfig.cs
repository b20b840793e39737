using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loom.Nn.Tests.Bert;

/// <summary>The keys of a Hugging Face BERT config.json this model reads.</summary>
internal sealed class BertConfig
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

    [JsonPropertyName("max_position_embeddings")]
    public int Positions { get; init; }

    [JsonPropertyName("type_vocab_size")]
    public int TypeVocabSize { get; init; } = 2;

    [JsonPropertyName("layer_norm_eps")]
    public float LayerNormEps { get; init; } = 1e-12f;

    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "gelu";

    public static BertConfig Load(string path) =>
        JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: not a BERT config.");
}
