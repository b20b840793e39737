// BART hyper-parameters as Hugging Face's BartConfig (transformers/models/bart/configuration_bart.py) names them.
using System.Text.Json.Serialization;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary>The keys of a BART <c>config.json</c> that the model reads.</summary>
public sealed class BartConfig
{
    /// <summary>HF class names, e.g. <c>["BartForConditionalGeneration"]</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 50265;

    /// <summary>C.</summary>
    [JsonPropertyName("d_model")]
    public int DModel { get; init; } = 1024;

    /// <summary>Encoder layers.</summary>
    [JsonPropertyName("encoder_layers")]
    public int EncoderLayers { get; init; } = 12;

    /// <summary>Decoder layers.</summary>
    [JsonPropertyName("decoder_layers")]
    public int DecoderLayers { get; init; } = 12;

    /// <summary>Encoder heads.</summary>
    [JsonPropertyName("encoder_attention_heads")]
    public int EncoderHeads { get; init; } = 16;

    /// <summary>Decoder heads (self- and cross-attention).</summary>
    [JsonPropertyName("decoder_attention_heads")]
    public int DecoderHeads { get; init; } = 16;

    /// <summary>Encoder feed-forward width.</summary>
    [JsonPropertyName("encoder_ffn_dim")]
    public int EncoderFfnDim { get; init; } = 4096;

    /// <summary>Decoder feed-forward width.</summary>
    [JsonPropertyName("decoder_ffn_dim")]
    public int DecoderFfnDim { get; init; } = 4096;

    /// <summary>Feed-forward activation (HF ACT2FN key).</summary>
    [JsonPropertyName("activation_function")]
    public string ActivationFunction { get; init; } = "gelu";

    /// <summary>Learned positions available (the table has 2 more rows: HF's offset).</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 1024;

    /// <summary>Multiply token embeddings by √d_model.</summary>
    [JsonPropertyName("scale_embedding")]
    public bool ScaleEmbedding { get; init; }

    /// <summary>Standard deviation of the normal initialisation of weights and embeddings (fresh models only).</summary>
    [JsonPropertyName("init_std")]
    public float InitStd { get; init; } = 0.02f;

    /// <summary>Dropout on the embeddings and every sub-layer output (training mode only).</summary>
    [JsonPropertyName("dropout")]
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Dropout on the attention probabilities (training mode only).</summary>
    [JsonPropertyName("attention_dropout")]
    public float AttentionDropout { get; init; }

    /// <summary>Dropout on the feed-forward activations between fc1 and fc2 (training mode only).</summary>
    [JsonPropertyName("activation_dropout")]
    public float ActivationDropout { get; init; }

    /// <summary>Padding id.</summary>
    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; } = 1;

    /// <summary>First decoder token.</summary>
    [JsonPropertyName("decoder_start_token_id")]
    public int DecoderStartTokenId { get; init; } = 2;

    /// <summary>HF BartPreTrainedModel._init_weights for a fresh model: weights and embeddings N(0, init_std).</summary>
    public Init WeightInit => Init.Normal(InitStd);

    /// <summary>A linear layer initialised as HF does (normal weight, zero bias); loading ignores the initialiser.</summary>
    public Linear Dense(Weights weights, int inFeatures, int outFeatures) =>
        new(weights, inFeatures, outFeatures, weightInit: WeightInit, biasInit: Init.Zeros);

    /// <summary>Throws <see cref="ModelLoadException"/> when the configuration cannot describe a BART.</summary>
    public void Validate()
    {
        if (EncoderHeads <= 0 || DecoderHeads <= 0 || DModel % EncoderHeads != 0 || DModel % DecoderHeads != 0)
        {
            throw new ModelLoadException($"BART config: expected d_model divisible by encoder_attention_heads and decoder_attention_heads; found d_model {DModel}, heads {EncoderHeads}/{DecoderHeads}.");
        }
    }
}
