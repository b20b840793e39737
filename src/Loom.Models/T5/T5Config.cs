// T5 hyper-parameters as Hugging Face's T5Config (transformers/models/t5/configuration_t5.py) names them, including its
// parsing of feed_forward_proj ("relu", "gated-gelu", "gated-silu", …; "gated-gelu" means gelu_new).
using System.Text.Json.Serialization;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary>The keys of a T5 / T5 v1.1 <c>config.json</c> that the model reads.</summary>
public sealed class T5Config
{
    /// <summary>HF class names, e.g. <c>["T5ForConditionalGeneration"]</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 32128;

    /// <summary>C.</summary>
    [JsonPropertyName("d_model")]
    public int DModel { get; init; } = 512;

    /// <summary>D, the per-head width (H·D need not equal C).</summary>
    [JsonPropertyName("d_kv")]
    public int DKv { get; init; } = 64;

    /// <summary>Feed-forward width F.</summary>
    [JsonPropertyName("d_ff")]
    public int DFf { get; init; } = 2048;

    /// <summary>Encoder blocks.</summary>
    [JsonPropertyName("num_layers")]
    public int Layers { get; init; } = 6;

    /// <summary>Decoder blocks (null: same as <see cref="Layers"/>).</summary>
    [JsonPropertyName("num_decoder_layers")]
    public int? DecoderLayersSetting { get; init; }

    /// <summary>H.</summary>
    [JsonPropertyName("num_heads")]
    public int Heads { get; init; } = 8;

    /// <summary>Relative-position buckets.</summary>
    [JsonPropertyName("relative_attention_num_buckets")]
    public int RelativeAttentionNumBuckets { get; init; } = 32;

    /// <summary>Distance beyond which all relative positions share the last bucket.</summary>
    [JsonPropertyName("relative_attention_max_distance")]
    public int RelativeAttentionMaxDistance { get; init; } = 128;

    /// <summary>"relu" (T5) or "gated-gelu" (T5 v1.1), in general "[gated-]ACT".</summary>
    [JsonPropertyName("feed_forward_proj")]
    public string FeedForwardProj { get; init; } = "relu";

    /// <summary>Scale of HF T5PreTrainedModel._init_weights (fresh models only).</summary>
    [JsonPropertyName("initializer_factor")]
    public float InitializerFactor { get; init; } = 1f;

    /// <summary>RMS-norm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")]
    public float LayerNormEpsilon { get; init; } = 1e-6f;

    /// <summary>Dropout on the embeddings, attention probabilities, feed-forward activations, sub-layer outputs and the final norm (training mode only).</summary>
    [JsonPropertyName("dropout_rate")]
    public float DropoutRate { get; init; } = 0.1f;

    /// <summary>lm_head shares the token embedding (and the decoder output is scaled by d_model^−½).</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Padding id.</summary>
    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; }

    /// <summary>First decoder token.</summary>
    [JsonPropertyName("decoder_start_token_id")]
    public int DecoderStartTokenId { get; init; }

    /// <summary>N(0, initializer_factor · <paramref name="fanIn"/>^−½), HF's initialisation of a projection reading <paramref name="fanIn"/> features.</summary>
    public Init NormalInit(int fanIn = 1) => Init.Normal(InitializerFactor / MathF.Sqrt(fanIn));

    /// <summary>Decoder blocks.</summary>
    public int DecoderLayers => DecoderLayersSetting ?? Layers;

    /// <summary>Whether the feed-forward block is gated (wi_0, wi_1).</summary>
    public bool IsGatedAct => FeedForwardProj.Split('-')[0] == "gated";

    /// <summary>The HF activation name of the feed-forward block.</summary>
    public string DenseActFn
    {
        get
        {
            var parts = FeedForwardProj.Split('-');
            if ((parts.Length > 1 && parts[0] != "gated") || parts.Length > 2)
            {
                throw new ModelLoadException($"T5 config: expected feed_forward_proj \"ACT\" or \"gated-ACT\"; found \"{FeedForwardProj}\".");
            }

            return FeedForwardProj == "gated-gelu" ? "gelu_new" : parts[^1];
        }
    }
}
