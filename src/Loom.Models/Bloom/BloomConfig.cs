// BLOOM hyper-parameters as Hugging Face's BloomConfig (transformers/models/bloom/configuration_bloom.py) names them.
using System.Text.Json.Serialization;

namespace Loom.Models.Bloom;

/// <summary>The keys of a BLOOM <c>config.json</c> that the model reads.</summary>
public sealed class BloomConfig
{
    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 250880;

    /// <summary>C.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 64;

    /// <summary>L.</summary>
    [JsonPropertyName("n_layer")]
    public int Layers { get; init; } = 2;

    /// <summary>H.</summary>
    [JsonPropertyName("n_head")]
    public int Heads { get; init; } = 8;

    /// <summary>Layer-norm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public float LayerNormEps { get; init; } = 1e-5f;

    /// <summary>When true the residual branches start from the normed input instead of the raw one.</summary>
    [JsonPropertyName("apply_residual_connection_post_layernorm")]
    public bool ResidualFromNormedInput { get; init; }

    /// <summary>D.</summary>
    public int HeadDim => HiddenSize / Heads;
}
