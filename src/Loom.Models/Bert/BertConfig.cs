// BERT hyper-parameters as Hugging Face's BertConfig (transformers/models/bert/configuration_bert.py) names them in
// config.json. num_labels is not stored by save_pretrained: as PretrainedConfig does, it is the size of id2label.
using System.Text.Json.Serialization;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>The keys of a BERT <c>config.json</c> that the model and its heads read.</summary>
public sealed class BertConfig
{
    /// <summary>HF class names, e.g. <c>["BertForMaskedLM"]</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 30522;

    /// <summary>C.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 768;

    /// <summary>L.</summary>
    [JsonPropertyName("num_hidden_layers")]
    public int Layers { get; init; } = 12;

    /// <summary>H.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int Heads { get; init; } = 12;

    /// <summary>Feed-forward width F.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Feed-forward (and MLM transform) activation, an HF ACT2FN key; "gelu" is the exact erf GELU.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Rows of the learned position table.</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Rows of the token-type (segment) table.</summary>
    [JsonPropertyName("type_vocab_size")]
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>Layer-norm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")]
    public float LayerNormEps { get; init; } = 1e-12f;

    /// <summary>Standard deviation of the normal initialisation of weight matrices and embeddings (fresh models only).</summary>
    [JsonPropertyName("initializer_range")]
    public float InitializerRange { get; init; } = 0.02f;

    /// <summary>Only "absolute" (learned positions) is supported.</summary>
    [JsonPropertyName("position_embedding_type")]
    public string PositionEmbeddingType { get; init; } = "absolute";

    /// <summary>Class index → label name; its size is the number of labels.</summary>
    [JsonPropertyName("id2label")]
    public IReadOnlyDictionary<string, string>? Id2Label { get; init; }

    /// <summary>"regression", "single_label_classification", "multi_label_classification", or null (inferred per call).</summary>
    [JsonPropertyName("problem_type")]
    public string? ProblemType { get; init; }

    /// <summary>Dropout after the embeddings and on each sub-layer output before its residual LayerNorm (training mode only).</summary>
    [JsonPropertyName("hidden_dropout_prob")]
    public float HiddenDropoutProb { get; init; } = 0.1f;

    /// <summary>Dropout on the attention probabilities (training mode only).</summary>
    [JsonPropertyName("attention_probs_dropout_prob")]
    public float AttentionProbsDropoutProb { get; init; } = 0.1f;

    /// <summary>Dropout before the sequence/token classifier; null means <see cref="HiddenDropoutProb"/>.</summary>
    [JsonPropertyName("classifier_dropout")]
    public float? ClassifierDropout { get; init; }

    /// <summary>D.</summary>
    public int HeadDim => HiddenSize / Heads;

    /// <summary>Number of classification labels (PretrainedConfig.num_labels: len(id2label), default 2).</summary>
    public int NumLabels => Id2Label?.Count ?? 2;

    /// <summary>HF BertPreTrainedModel._init_weights for a fresh model: weights and embeddings N(0, initializer_range).</summary>
    public Init WeightInit => Init.Normal(InitializerRange);

    /// <summary>A linear layer initialised as HF does (normal weight, zero bias); loading ignores the initialiser.</summary>
    public Linear Dense(Weights weights, int inFeatures, int outFeatures) =>
        new(weights, inFeatures, outFeatures, weightInit: WeightInit, biasInit: Init.Zeros);

    /// <summary>Throws <see cref="ModelLoadException"/> when the configuration cannot describe a BERT.</summary>
    public void Validate()
    {
        if (Heads <= 0 || HiddenSize % Heads != 0)
        {
            throw new ModelLoadException($"BERT config: expected hidden_size divisible by num_attention_heads; found hidden_size {HiddenSize}, num_attention_heads {Heads}.");
        }

        if (PositionEmbeddingType != "absolute")
        {
            throw new ModelLoadException($"BERT config: expected position_embedding_type \"absolute\"; found \"{PositionEmbeddingType}\" (relative key/query positions are not implemented).");
        }
    }
}
