// llama2.c checkpoints (karpathy/llama2.c run.c / export.py) as a LlamaForCausalLM: run.c's arrays are bound to HF
// LLaMA parameter names layer by layer (wq → q_proj, w1 → gate_proj, w3 → up_proj, w2 → down_proj, rms_att →
// input_layernorm, rms_ffn → post_attention_layernorm), with run.c's constants (RMSNorm ε 1e-5, RoPE θ 10000) and its
// rotary layout: llama2.c rotates interleaved pairs (2i, 2i + 1) of the unpermuted wq/wk outputs, so the model keeps
// that layout instead of HF's rotate_half (which needs permuted q/k rows).
using Loom.Core;
using Loom.Formats.Llama2c;
using Loom.Nn;

namespace Loom.Models.Llama;

/// <summary>Builds a <see cref="LlamaForCausalLm"/> from a llama2.c checkpoint.</summary>
public static class Llama2cLoader
{
    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    public static LlamaForCausalLm Load(string path)
    {
        using var checkpoint = Llama2cCheckpoint.Open(path);
        return Load(checkpoint);
    }

    /// <summary>The LLaMA configuration equivalent to a llama2.c header.</summary>
    public static LlamaConfig ToConfig(Llama2cConfig header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new LlamaConfig
        {
            VocabSize = header.VocabSize,
            HiddenSize = header.Dim,
            IntermediateSize = header.HiddenDim,
            Layers = header.LayerCount,
            Heads = header.HeadCount,
            KvHeadsSetting = header.KvHeadCount,
            HiddenAct = "silu",
            RmsNormEps = 1e-5f,
            RopeTheta = 10000f,
            TieWordEmbeddings = header.SharedClassifier,
            RopeLayout = RopeLayout.Interleaved,
        };
    }

    /// <summary>Builds the model from an open checkpoint (its arrays are copied).</summary>
    public static LlamaForCausalLm Load(Llama2cCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var config = ToConfig(checkpoint.Config);
        var weights = Weights.Initialize(new Generator(0));
        weights.Training = false;
        var model = new LlamaForCausalLm(weights, config);
        foreach (var (name, tensor) in weights.Parameters)
        {
            var (array, layer) = Source(name, checkpoint.Source);
            var data = checkpoint.GetData(checkpoint.GetTensor(array));
            var size = tensor.Count;
            var source = layer < 0 ? data : data.Slice(layer * size, size);
            if (source.Length != size)
            {
                throw new StateDictException($"Shape mismatch for '{name}': the model expects [{string.Join(", ", tensor.Shape)}] ({size} floats), llama2.c array '{array}' holds {source.Length} in {checkpoint.Source}.");
            }

            source.CopyTo(tensor.AsSpan());
        }

        weights.AdviseHugePages(); // decoding streams every weight once per token
        return model;
    }

    private static (string Array, int Layer) Source(string name, string where)
    {
        var parts = name.Split('.');
        if (name == "model.embed_tokens.weight")
        {
            return ("token_embedding_table", -1);
        }

        if (name == "model.norm.weight")
        {
            return ("rms_final_weight", -1);
        }

        if (name == "lm_head.weight")
        {
            return ("wcls", -1);
        }

        if (parts.Length >= 4 && parts[1] == "layers" && int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var layer))
        {
            var array = string.Join('.', parts[3..]) switch
            {
                "input_layernorm.weight" => "rms_att_weight",
                "post_attention_layernorm.weight" => "rms_ffn_weight",
                "self_attn.q_proj.weight" => "wq",
                "self_attn.k_proj.weight" => "wk",
                "self_attn.v_proj.weight" => "wv",
                "self_attn.o_proj.weight" => "wo",
                "mlp.gate_proj.weight" => "w1",
                "mlp.down_proj.weight" => "w2",
                "mlp.up_proj.weight" => "w3",
                _ => null,
            };
            if (array is not null)
            {
                return (array, layer);
            }
        }

        throw new StateDictException($"Parameter '{name}' has no llama2.c counterpart in {where}.");
    }
}
