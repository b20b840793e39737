using System.Text.Json.Serialization;

namespace Loom.Models.Tests.Training.ReferenceT5;

/// <summary>The keys of a Hugging Face T5 config.json this model reads.</summary>
internal sealed class T5Config
{
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; }

    [JsonPropertyName("d_model")]
    public int Channels { get; init; }

    [JsonPropertyName("d_kv")]
    public int HeadDim { get; init; }

    [JsonPropertyName("d_ff")]
    public int Inner { get; init; }

    [JsonPropertyName("num_layers")]
    public int Layers { get; init; }

    [JsonPropertyName("num_decoder_layers")]
    public int? DecoderLayers { get; init; }

    [JsonPropertyName("num_heads")]
    public int Heads { get; init; }

    [JsonPropertyName("relative_attention_num_buckets")]
    public int Buckets { get; init; } = 32;

    [JsonPropertyName("relative_attention_max_distance")]
    public int MaxDistance { get; init; } = 128;

    [JsonPropertyName("layer_norm_epsilon")]
    public float LayerNormEps { get; init; } = 1e-6f;

    [JsonPropertyName("dense_act_fn")]
    public string DenseActivation { get; init; } = "relu";

    [JsonPropertyName("is_gated_act")]
    public bool IsGated { get; init; }

    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    [JsonPropertyName("decoder_start_token_id")]
    public int DecoderStartTokenId { get; init; }

    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; }
}
