// Parameter names of a LLaMA model in llama.cpp's GGUF files (llama.cpp gguf-py/gguf/constants.py and
// tensor_mapping.py, MODEL_ARCH.LLAMA: token_embd, blk.N.attn_norm / attn_q / attn_k / attn_v / attn_output /
// ffn_norm / ffn_gate / ffn_up / ffn_down, output_norm, output) and the metadata keys llama.cpp reads for it.
using System.Globalization;

namespace Loom.Models.Llama;

/// <summary>Maps Hugging Face LLaMA parameter names to llama.cpp GGUF tensor names, and names the metadata keys.</summary>
internal static class GgufLlamaNames
{
    public const string Architecture = "llama";
    public const string ArchitectureKey = "general.architecture";
    public const string NameKey = "general.name";
    public const string FileTypeKey = "general.file_type";
    public const string ContextLength = "llama.context_length";
    public const string EmbeddingLength = "llama.embedding_length";
    public const string BlockCount = "llama.block_count";
    public const string FeedForwardLength = "llama.feed_forward_length";
    public const string RopeDimensionCount = "llama.rope.dimension_count";
    public const string RopeFreqBase = "llama.rope.freq_base";
    public const string HeadCount = "llama.attention.head_count";
    public const string HeadCountKv = "llama.attention.head_count_kv";
    public const string RmsEpsilon = "llama.attention.layer_norm_rms_epsilon";
    public const string VocabSize = "llama.vocab_size";
    public const string OutputWeight = "output.weight";

    /// <summary>The GGUF name of HF parameter <paramref name="hfName"/>; throws for names llama.cpp's LLaMA has no slot for.</summary>
    public static string ToGguf(string hfName)
    {
        switch (hfName)
        {
            case "model.embed_tokens.weight":
                return "token_embd.weight";
            case "model.norm.weight":
                return "output_norm.weight";
            case "lm_head.weight":
                return OutputWeight;
        }

        var parts = hfName.Split('.');
        if (parts.Length >= 5 && parts[0] == "model" && parts[1] == "layers"
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var layer))
        {
            var slot = string.Join('.', parts[3..]) switch
            {
                "input_layernorm.weight" => "attn_norm",
                "post_attention_layernorm.weight" => "ffn_norm",
                "self_attn.q_proj.weight" => "attn_q",
                "self_attn.k_proj.weight" => "attn_k",
                "self_attn.v_proj.weight" => "attn_v",
                "self_attn.o_proj.weight" => "attn_output",
                "mlp.gate_proj.weight" => "ffn_gate",
                "mlp.up_proj.weight" => "ffn_up",
                "mlp.down_proj.weight" => "ffn_down",
                _ => null,
            };
            if (slot is not null)
            {
                return $"blk.{layer}.{slot}.weight";
            }
        }

        throw new ModelLoadException($"GGUF llama: parameter '{hfName}' has no llama.cpp tensor name; expected token embeddings, norms, attention q/k/v/o or SwiGLU gate/up/down weights.");
    }
}
