// LLaMA hyper-parameters as Hugging Face's LlamaConfig (transformers/models/llama/configuration_llama.py) names them.
using System.Text.Json;
using System.Text.Json.Serialization;
using Loom.Core;

namespace Loom.Models.Llama;

/// <summary>The keys of a LLaMA <c>config.json</c> that the model reads (also the base of Qwen2's).</summary>
public class LlamaConfig
{
    /// <summary>V.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 32000;

    /// <summary>C.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 4096;

    /// <summary>Feed-forward width F.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; } = 11008;

    /// <summary>L.</summary>
    [JsonPropertyName("num_hidden_layers")]
    public int Layers { get; init; } = 32;

    /// <summary>H.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int Heads { get; init; } = 32;

    /// <summary>KvH; null means H (multi-head attention).</summary>
    [JsonPropertyName("num_key_value_heads")]
    public int? KvHeadsSetting { get; init; }

    /// <summary>D when given explicitly; null means C / H.</summary>
    [JsonPropertyName("head_dim")]
    public int? HeadDimSetting { get; init; }

    /// <summary>MLP activation name.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "silu";

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")]
    public float RmsNormEps { get; init; } = 1e-6f;

    /// <summary>RoPE base θ.</summary>
    [JsonPropertyName("rope_theta")]
    public float RopeTheta { get; init; } = 10000f;

    /// <summary>Dropout on the attention probabilities (training mode only).</summary>
    [JsonPropertyName("attention_dropout")]
    public float AttentionDropout { get; init; }

    /// <summary>RoPE scaling settings; only null (no scaling) is supported.</summary>
    [JsonPropertyName("rope_scaling")]
    public JsonElement? RopeScaling { get; init; }

    /// <summary>Biases on q/k/v/o projections (LLaMA's attention_bias).</summary>
    [JsonPropertyName("attention_bias")]
    public bool AttentionBias { get; init; }

    /// <summary>Biases on the MLP projections.</summary>
    [JsonPropertyName("mlp_bias")]
    public bool MlpBias { get; init; }

    /// <summary>The output head shares the token embedding.</summary>
    [JsonPropertyName("tie_word_embeddings")]
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Which elements RoPE rotates together: HF's halves, or llama2.c's interleaved pairs.</summary>
    [JsonIgnore]
    public RopeLayout RopeLayout { get; init; } = RopeLayout.HalfRotation;

    /// <summary>The HF class this configuration builds.</summary>
    [JsonIgnore]
    public virtual string Architecture => "LlamaForCausalLM";

    /// <summary>Whether q/k/v have biases.</summary>
    [JsonIgnore]
    public virtual bool QkvBias => AttentionBias;

    /// <summary>Whether o_proj has a bias.</summary>
    [JsonIgnore]
    public bool OutputBias => AttentionBias;

    /// <summary>KvH.</summary>
    [JsonIgnore]
    public int KvHeads => KvHeadsSetting ?? Heads;

    /// <summary>D.</summary>
    [JsonIgnore]
    public int HeadDim => HeadDimSetting ?? (HiddenSize / Math.Max(Heads, 1));

    /// <summary>Throws <see cref="ModelLoadException"/> for settings this implementation does not support.</summary>
    public virtual void Validate()
    {
        if (Heads <= 0 || KvHeads <= 0 || Heads % KvHeads != 0)
        {
            throw new ModelLoadException($"{Architecture} config: expected num_attention_heads a positive multiple of num_key_value_heads; found {Heads} and {KvHeads}.");
        }

        if (HeadDimSetting is null && HiddenSize % Heads != 0)
        {
            throw new ModelLoadException($"{Architecture} config: expected hidden_size divisible by num_attention_heads; found {HiddenSize} and {Heads}.");
        }

        if (RopeScaling is { ValueKind: not JsonValueKind.Null })
        {
            throw new ModelLoadException($"{Architecture} config: rope_scaling {RopeScaling} is not supported; expected null.");
        }
    }
}
