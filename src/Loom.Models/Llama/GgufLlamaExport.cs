// Writing a LLaMA model as a llama.cpp GGUF v3 file (metadata keys and tensor names of llama.cpp's LLM_ARCH_LLAMA, as
// convert_hf_to_gguf.py LlamaModel writes them). GGUF keeps Meta's rotary layout (pairs 2i, 2i + 1): a model in HF's
// rotate_half layout has its q / k rows permuted per head the way the convert script's permute() does
// (reshape(H, 2, D/2, C).swapaxes(1, 2): row j·D/2 + i → 2i + j); a model already interleaved (llama2.c) is written
// as is. A tied head is left out (llama.cpp then reads token_embd). Matrices are stored as the requested type when
// their rows are whole blocks; norms, and rows that are not a multiple of the block size, stay F32 (llama-quantize
// likewise leaves 1-D tensors unquantised and falls back for rows that do not divide into blocks). Matrices a model
// keeps quantised are written after the float32 parameters.
using Loom.Core;
using Loom.Formats.Gguf;

namespace Loom.Models.Llama;

/// <summary>Saves a <see cref="LlamaForCausalLm"/> as a GGUF file that <see cref="GgufLlamaLoader"/> and llama.cpp read.</summary>
public static class GgufLlamaExport
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>, storing matrices as <paramref name="weightType"/>
    /// (F32, F16, BF16, Q8_0 or Q4_0).
    /// </summary>
    public static void Save(LlamaForCausalLm model, string path, GgmlType weightType = GgmlType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var config = model.Config;
        if (config.Architecture != "LlamaForCausalLM" || config.AttentionBias || config.MlpBias)
        {
            throw new NotSupportedException($"GGUF export writes llama.cpp's 'llama' architecture: expected LlamaForCausalLM without biases; found {config.Architecture} (attention_bias {config.AttentionBias}, mlp_bias {config.MlpBias}).");
        }

        if (!weightType.IsConvertibleToFloat32())
        {
            throw new ArgumentException($"GGUF export: expected weight type F32, F16, BF16, Q8_0 or Q4_0; found {weightType}.", nameof(weightType));
        }

        var writer = new GgufWriter();
        writer.AddMetadata(GgufLlamaNames.ArchitectureKey, GgufValue.FromString(GgufLlamaNames.Architecture));
        writer.AddMetadata(GgufLlamaNames.NameKey, GgufValue.FromString("loom-llama"));
        writer.AddMetadata(GgufLlamaNames.FileTypeKey, GgufValue.FromScalar(FileType(weightType)));
        writer.AddMetadata(GgufLlamaNames.ContextLength, GgufValue.FromScalar(2048u));
        writer.AddMetadata(GgufLlamaNames.EmbeddingLength, GgufValue.FromScalar((uint)config.HiddenSize));
        writer.AddMetadata(GgufLlamaNames.BlockCount, GgufValue.FromScalar((uint)config.Layers));
        writer.AddMetadata(GgufLlamaNames.FeedForwardLength, GgufValue.FromScalar((uint)config.IntermediateSize));
        writer.AddMetadata(GgufLlamaNames.RopeDimensionCount, GgufValue.FromScalar((uint)config.HeadDim));
        writer.AddMetadata(GgufLlamaNames.RopeFreqBase, GgufValue.FromScalar(config.RopeTheta));
        writer.AddMetadata(GgufLlamaNames.HeadCount, GgufValue.FromScalar((uint)config.Heads));
        writer.AddMetadata(GgufLlamaNames.HeadCountKv, GgufValue.FromScalar((uint)config.KvHeads));
        writer.AddMetadata(GgufLlamaNames.RmsEpsilon, GgufValue.FromScalar(config.RmsNormEps));
        writer.AddMetadata(GgufLlamaNames.VocabSize, GgufValue.FromScalar((uint)config.VocabSize));
        foreach (var (name, tensor) in model.Parameters)
        {
            var permute = config.RopeLayout == RopeLayout.HalfRotation
                && (name.EndsWith("self_attn.q_proj.weight", StringComparison.Ordinal) || name.EndsWith("self_attn.k_proj.weight", StringComparison.Ordinal));
            var values = permute ? RotaryRowOrder.HalvesToInterleaved(tensor, config.HeadDim) : tensor.ToArray();
            var storeAs = tensor.Shape.Count == 2 && tensor.Shape[^1] % weightType.BlockSize() == 0 ? weightType : GgmlType.F32;
            writer.AddFloat32(GgufLlamaNames.ToGguf(name), [.. tensor.Shape.Select(d => (long)d)], values, storeAs);
        }

        foreach (var (name, matrix) in model.QuantizedParameters)
        {
            // Loaded from GGUF, so already in the interleaved rotary layout: blocks of the requested type are copied as
            // they are (no second rounding); other types go through float32.
            long[] shape = [matrix.Rows, matrix.Columns];
            if (matrix.GgmlType == weightType)
            {
                writer.AddTensor(GgufLlamaNames.ToGguf(name), weightType, shape, matrix.Data);
            }
            else
            {
                writer.AddFloat32(GgufLlamaNames.ToGguf(name), shape, matrix.Dequantize().ToArray(), weightType);
            }
        }

        writer.Save(path);
    }

    /// <summary>llama.cpp's llama_ftype for a file whose matrices are <paramref name="type"/> (ALL_F32, MOSTLY_F16, …).</summary>
    private static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q4_0 => 2,
        GgmlType.Q8_0 => 7,
        _ => 32, // BF16
    };
}
