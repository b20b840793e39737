// GLM hyper-parameters under the config.json names of THUDM's GLM (configuration_glm.py GLMConfig: num_layers,
// hidden_size, num_attention_heads, max_sequence_length, vocab_size). Only the block-position variant ("blocklm", Du et
// al. 2022 §2.2) exists here; the blocks are the from-scratch Transformer's pre-LN GELU blocks with a feed-forward of
// 4·C, as GLM's. GLM's three dropouts (embedding_dropout_prob on the summed embeddings, attention_dropout_prob on the
// attention probabilities, output_dropout_prob on each sub-layer output before its residual sum) default to 0 here.
using System.Text.Json.Serialization;
using Loom.Models.Transformer;

namespace Loom.Models.Glm;

/// <summary>The keys of a GLM <c>config.json</c> that <see cref="GlmModel"/> reads.</summary>
public sealed record GlmConfig
{
    /// <summary>HF class names, e.g. <c>["GLMModel"]</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 256;

    /// <summary>C.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 64;

    /// <summary>L.</summary>
    [JsonPropertyName("num_layers")]
    public int Layers { get; init; } = 2;

    /// <summary>H; must divide C.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int Heads { get; init; } = 4;

    /// <summary>Rows of both learned tables: positions (row 0 of the 2-D ids) and block positions (row 1).</summary>
    [JsonPropertyName("max_sequence_length")]
    public int MaxSequenceLength { get; init; } = 512;

    /// <summary>Dropout on the summed token and position embeddings (training mode only).</summary>
    [JsonPropertyName("embedding_dropout_prob")]
    public float EmbeddingDropout { get; init; }

    /// <summary>Dropout on the attention probabilities (training mode only).</summary>
    [JsonPropertyName("attention_dropout_prob")]
    public float AttentionDropout { get; init; }

    /// <summary>Dropout on each attention and feed-forward output before its residual sum (training mode only).</summary>
    [JsonPropertyName("output_dropout_prob")]
    public float OutputDropout { get; init; }

    /// <summary>The from-scratch Transformer settings of the blocks: pre-LN, LayerNorm, GELU, F = 4·C, tied head, GLM's output and attention dropout.</summary>
    public TransformerConfig ToTransformerConfig() => new()
    {
        Kind = TransformerKind.EncoderOnly,
        Layers = Layers,
        Channels = HiddenSize,
        Heads = Heads,
        FeedForward = 4 * HiddenSize,
        VocabSize = VocabSize,
        MaxPositions = MaxSequenceLength,
        Positions = PositionKind.Learned,
        Norm = NormKind.LayerNorm,
        PreNorm = true,
        FeedForwardActivation = FeedForwardKind.Gelu,
        TieEmbeddings = true,
        Dropout = OutputDropout,
        AttentionDropout = AttentionDropout,
    };
}
