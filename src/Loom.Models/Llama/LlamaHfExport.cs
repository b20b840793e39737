// Writing a LLaMA model as a Hugging Face folder (config.json + model.safetensors) that LlamaForCausalLM.from_pretrained
// reads. A model with llama2.c's interleaved rotary pairs has its q_proj / k_proj rows permuted per head the way
// transformers' convert_llama_weights_to_hf.py permute() does (row 2i + j → j·D/2 + i), so that HF's rotate_half pairs
// (i, i + D/2) rotate the same values: attention scores are unchanged because q and k get the same permutation.
using System.Text.Json;
using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Models.Llama;

/// <summary>Saves a <see cref="LlamaForCausalLm"/> in Hugging Face's folder layout.</summary>
public static class LlamaHfExport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> (float32) into <paramref name="dir"/>.</summary>
    public static void Save(LlamaForCausalLm model, string dir)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dir);
        Directory.CreateDirectory(dir);
        var config = model.Config;
        var writer = new SafetensorsWriter();
        writer.SetMetadata("format", "pt");
        foreach (var (name, tensor) in model.Parameters)
        {
            var permute = config.RopeLayout == RopeLayout.Interleaved && (name.EndsWith("self_attn.q_proj.weight", StringComparison.Ordinal) || name.EndsWith("self_attn.k_proj.weight", StringComparison.Ordinal)
                || name.EndsWith("self_attn.q_proj.bias", StringComparison.Ordinal) || name.EndsWith("self_attn.k_proj.bias", StringComparison.Ordinal));
            var values = permute ? RotaryRowOrder.InterleavedToHalves(tensor, config.HeadDim) : tensor.ToArray();
            writer.AddFloat32(name, [.. tensor.Shape.Select(d => (long)d)], values);
        }

        writer.Save(Path.Combine(dir, "model.safetensors"));
        var json = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { config.Architecture },
            ["model_type"] = config.Architecture == "Qwen2ForCausalLM" ? "qwen2" : "llama",
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.Layers,
            ["num_attention_heads"] = config.Heads,
            ["num_key_value_heads"] = config.KvHeads,
            ["head_dim"] = config.HeadDim,
            ["hidden_act"] = config.HiddenAct,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = null,
            ["attention_bias"] = config.AttentionBias,
            ["mlp_bias"] = config.MlpBias,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["torch_dtype"] = "float32",
        };
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(json, Indented));
    }
}
