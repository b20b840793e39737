// GPT-2 hyper-parameters as Hugging Face's GPT2Config (transformers/models/gpt2/configuration_gpt2.py) names them.
using System.Text.Json.Serialization;

namespace Loom.Models.Gpt2;

/// <summary>The keys of a GPT-2 <c>config.json</c> that the model reads.</summary>
public sealed class Gpt2Config
{
    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 50257;

    /// <summary>Learned positions available.</summary>
    [JsonPropertyName("n_positions")]
    public int Positions { get; init; } = 1024;

    /// <summary>C.</summary>
    [JsonPropertyName("n_embd")]
    public int Channels { get; init; } = 768;

    /// <summary>L.</summary>
    [JsonPropertyName("n_layer")]
    public int Layers { get; init; } = 12;

    /// <summary>H.</summary>
    [JsonPropertyName("n_head")]
    public int Heads { get; init; } = 12;

    /// <summary>Feed-forward width; null means 4·C.</summary>
    [JsonPropertyName("n_inner")]
    public int? Inner { get; init; }

    /// <summary>Layer-norm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public float LayerNormEps { get; init; } = 1e-5f;

    /// <summary>MLP activation name (HF ACT2FN key).</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; init; } = "gelu_new";

    /// <summary>Divide scores by √D.</summary>
    [JsonPropertyName("scale_attn_weights")]
    public bool ScaleAttentionWeights { get; init; } = true;

    /// <summary>Also divide the scores of block i by i + 1.</summary>
    [JsonPropertyName("scale_attn_by_inverse_layer_idx")]
    public bool ScaleAttentionByInverseLayerIndex { get; init; }

    /// <summary>Dropout on the summed token + position embeddings (training mode only).</summary>
    [JsonPropertyName("embd_pdrop")]
    public float EmbeddingDropout { get; init; } = 0.1f;

    /// <summary>Dropout on the attention probabilities (training mode only).</summary>
    [JsonPropertyName("attn_pdrop")]
    public float AttentionDropout { get; init; } = 0.1f;

    /// <summary>Dropout on the attention and MLP outputs before each residual sum (training mode only).</summary>
    [JsonPropertyName("resid_pdrop")]
    public float ResidualDropout { get; init; } = 0.1f;

    /// <summary>D.</summary>
    public int HeadDim => Channels / Heads;

    /// <summary>Feed-forward width F.</summary>
    public int FeedForward => Inner ?? (4 * Channels);
}
