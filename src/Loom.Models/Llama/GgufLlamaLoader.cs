// LLaMA-family models from llama.cpp GGUF v2/v3 files (llama.cpp src/llama-model.cpp LLM_ARCH_LLAMA: hyper-parameters
// from the "llama.*" metadata keys, tensors token_embd / blk.N.* / output_norm / output, output absent = tied to
// token_embd). llama.cpp's convert_hf_to_gguf.py permutes HF's q/k rows back to Meta's original layout
// (reshape(H, 2, D/2, C).swapaxes(1, 2)) and ggml applies RoPE to interleaved pairs (2i, 2i + 1), so the model is
// built with RopeLayout.Interleaved and the rows are used as stored. Q8_0 and Q4_0 matrices stay quantised in memory
// (Core QuantizedMatrix: the linear layers and the embedding multiply them with a dequantising kernel; inference only)
// unless the caller asks for float32; F16 / BF16 are converted to float32 on load.
using Loom.Core;
using Loom.Formats.Gguf;
using Loom.Nn;

namespace Loom.Models.Llama;

/// <summary>Builds a <see cref="LlamaForCausalLm"/> from a llama.cpp GGUF file (architecture <c>llama</c>).</summary>
public static class GgufLlamaLoader
{
    /// <summary>
    /// Reads the GGUF file at <paramref name="path"/>. Q8_0 / Q4_0 matrices stay quantised (inference only) unless
    /// <paramref name="dequantize"/> asks for a float32 (trainable) model.
    /// </summary>
    public static LlamaForCausalLm Load(string path, bool dequantize = false)
    {
        using var file = GgufFile.Open(path);
        return Load(file, dequantize);
    }

    /// <summary>The LLaMA configuration described by a GGUF file's metadata and tensor shapes.</summary>
    public static LlamaConfig ToConfig(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var architecture = file.TryGetValue(GgufLlamaNames.ArchitectureKey, out var arch) && arch.Type == GgufValueType.String ? arch.AsString() : null;
        if (architecture != GgufLlamaNames.Architecture)
        {
            throw new ModelLoadException($"GGUF {file.Source}: expected {GgufLlamaNames.ArchitectureKey} = '{GgufLlamaNames.Architecture}'; found {(architecture is null ? "no such string" : $"'{architecture}'")}.");
        }

        var embedding = Require(file, "token_embd.weight");
        var heads = Integer(file, GgufLlamaNames.HeadCount);
        var hidden = Integer(file, GgufLlamaNames.EmbeddingLength);
        var config = new LlamaConfig
        {
            VocabSize = file.TryGetValue(GgufLlamaNames.VocabSize, out _) ? Integer(file, GgufLlamaNames.VocabSize) : (int)embedding.Shape[0],
            HiddenSize = hidden,
            IntermediateSize = Integer(file, GgufLlamaNames.FeedForwardLength),
            Layers = Integer(file, GgufLlamaNames.BlockCount),
            Heads = heads,
            KvHeadsSetting = file.TryGetValue(GgufLlamaNames.HeadCountKv, out _) ? Integer(file, GgufLlamaNames.HeadCountKv) : heads,
            HiddenAct = "silu",
            RmsNormEps = (float)Real(file, GgufLlamaNames.RmsEpsilon, null),
            RopeTheta = (float)Real(file, GgufLlamaNames.RopeFreqBase, 10000.0),
            TieWordEmbeddings = !file.TryGetTensor(GgufLlamaNames.OutputWeight, out _),
            RopeLayout = RopeLayout.Interleaved,
        };
        config.Validate();
        if (file.TryGetValue(GgufLlamaNames.RopeDimensionCount, out _) && Integer(file, GgufLlamaNames.RopeDimensionCount) != config.HeadDim)
        {
            throw new ModelLoadException($"GGUF {file.Source}: expected {GgufLlamaNames.RopeDimensionCount} = head dim {config.HeadDim} (partial rotary is not supported); found {Integer(file, GgufLlamaNames.RopeDimensionCount)}.");
        }

        return config;
    }

    /// <summary>
    /// Builds the model from an open file: Q8_0 / Q4_0 matrices are copied as blocks (kept quantised) unless
    /// <paramref name="dequantize"/> is set; every other tensor is converted to a float32 copy.
    /// </summary>
    public static LlamaForCausalLm Load(GgufFile file, bool dequantize = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        var config = ToConfig(file);
        var weights = dequantize ? Weights.Initialize(new Generator(0)) : Weights.Initialize(new Generator(0), (name, shape) => Quantized(file, name, shape));
        weights.Training = false;
        var model = new LlamaForCausalLm(weights, config);
        if (!dequantize && weights.QuantizedParameters.Count > 0)
        {
            foreach (var (_, tensor) in weights.Parameters)
            {
                tensor.RequiresGrad = false; // an inference-only model: no graph is recorded around its quantised products
            }
        }

        foreach (var (name, tensor) in weights.Parameters)
        {
            var info = Require(file, GgufLlamaNames.ToGguf(name));
            if (!info.Shape.SequenceEqual(tensor.Shape.Select(d => (long)d)))
            {
                throw new ModelLoadException($"GGUF {file.Source}: tensor '{info.Name}' (for '{name}') expected shape [{string.Join(", ", tensor.Shape)}]; found [{string.Join(", ", info.Shape)}].");
            }

            if (!info.Type.IsConvertibleToFloat32())
            {
                throw new ModelLoadException($"GGUF {file.Source}: tensor '{info.Name}' expected type F32, F16, BF16, Q8_0 or Q4_0; found {info.Type}.");
            }

            file.ReadFloat32(info, tensor.AsSpan());
        }

        weights.AdviseHugePages(); // decoding streams every weight once per token
        return model;
    }

    /// <summary>The blocks of a Q8_0 / Q4_0 GGUF matrix of the expected shape, for a parameter that can stay quantised.</summary>
    private static QuantizedMatrix? Quantized(GgufFile file, string name, int[] shape)
    {
        var info = Require(file, GgufLlamaNames.ToGguf(name));
        if (info.Type is not (GgmlType.Q8_0 or GgmlType.Q4_0))
        {
            return null;
        }

        if (!info.Shape.SequenceEqual(shape.Select(d => (long)d)))
        {
            throw new ModelLoadException($"GGUF {file.Source}: tensor '{info.Name}' (for '{name}') expected shape [{string.Join(", ", shape)}]; found [{string.Join(", ", info.Shape)}].");
        }

        return QuantizedMatrix.FromGgml(info.Type, shape[0], shape[1], file.GetBytes(info));
    }

    private static GgufTensorInfo Require(GgufFile file, string name) => file.TryGetTensor(name, out var info)
        ? info
        : throw new ModelLoadException($"GGUF {file.Source}: expected tensor '{name}'; found no tensor of that name ({file.Tensors.Count} tensors).");

    private static int Integer(GgufFile file, string key)
    {
        if (!file.TryGetValue(key, out var value))
        {
            throw new ModelLoadException($"GGUF {file.Source}: expected metadata key '{key}'; it is missing.");
        }

        try
        {
            return value.AsInt32();
        }
        catch (InvalidOperationException e)
        {
            throw new ModelLoadException($"GGUF {file.Source}: expected '{key}' to be a 32-bit integer; found {value.Type} {value}.", e);
        }
    }

    private static double Real(GgufFile file, string key, double? fallback)
    {
        if (!file.TryGetValue(key, out var value))
        {
            return fallback ?? throw new ModelLoadException($"GGUF {file.Source}: expected metadata key '{key}'; it is missing.");
        }

        try
        {
            return value.AsDouble();
        }
        catch (InvalidOperationException e)
        {
            throw new ModelLoadException($"GGUF {file.Source}: expected '{key}' to be a float; found {value.Type} {value}.", e);
        }
    }
}
