// Loading what `loom generate` runs: an HF folder (decoder-only or encoder-decoder, chosen by config.json; AutoTokenizer;
// the checkpoint's generation settings — EOS/pad, decoder start, BART's forced BOS/EOS — from generation_config.json or
// config.json), a llama.cpp GGUF file (its own tokenizer metadata or --tokenizer; EOS from tokenizer.ggml.eos_token_id;
// Q8_0 / Q4_0 weights stay quantised, their inputs float32 or, with --quantized-activations int8, int8), a llama2.c
// checkpoint with its tokenizer .bin, or the embedded stories260K.
using Loom.Formats.Gguf;
using Loom.Formats.Llama2c;
using Loom.Generation;
using Loom.Generation.Llama2c;
using Loom.Kernels;
using Loom.Models.Auto;
using Loom.Models.Llama;
using Loom.Tokenizers;
using Loom.Tokenizers.Formats;

namespace Loom.Cli.Commands;

/// <summary>
/// A loaded model with its text codec and the checkpoint's generation settings (<see cref="Defaults"/>: special tokens and
/// processors such as forced BOS/EOS). An encoder-decoder model reads the prompt as its input and writes a new text.
/// </summary>
internal sealed record GenerateModel(IStepDecoder Model, bool EncoderDecoder, Func<string, IReadOnlyList<int>> Encode,
    Func<IReadOnlyList<int>, string> Decode, GenerationOptions Defaults)
{
    /// <summary>End-of-sequence ids.</summary>
    public IReadOnlyList<int> EosTokenIds => Defaults.EosTokenIds;

    /// <summary>Padding id written after a row finished, if the checkpoint names one.</summary>
    public int? PadTokenId => Defaults.PadTokenId;

    public static GenerateModel Load(GenerateRequest request)
    {
        if (request.ModelPath is { } file && AutoModel.IsGgufFile(file))
        {
            return LoadGguf(file, request.TokenizerPath, request.QuantizedActivations);
        }

        RefuseQuantizedActivations(request);
        if (request.ModelPath is { } dir && Directory.Exists(dir))
        {
            var settings = HfGenerationConfig.Load(dir);
            var model = StepDecoders.Load(dir, settings.DecoderStartTokenId);
            var tokenizer = AutoTokenizer.Load(request.TokenizerPath ?? dir);
            return new GenerateModel(model, model is Seq2SeqStepDecoder, text => tokenizer.Encode(text).Ids, ids => tokenizer.Decode(ids), settings.Options);
        }

        var (llama, codec, _) = LoadLlama2c(request);
        // llama2.c models end a story with BOS (run.c stops there).
        return new GenerateModel(new CausalStepDecoder(llama), false, text => codec.Encode(text), ids => codec.Decode(ids),
            new GenerationOptions { EosTokenIds = [Llama2CTokenizer.Bos], PadTokenId = Llama2CTokenizer.Bos });
    }

    private static GenerateModel LoadGguf(string path, string? tokenizerPath, QuantizedActivations activations)
    {
        var model = AutoModel.LoadCausalLm(path);
        if (activations != QuantizedActivations.Float32)
        {
            var llama = (LlamaForCausalLm)model; // GGUF files load as LLaMA
            if (llama.QuantizedParameters.Count == 0)
            {
                throw new ArgumentException($"--quantized-activations int8: '{path}' has no Q8_0 / Q4_0 matrices kept quantised.");
            }

            llama.QuantizedActivations = activations; // int8 activations: faster, logits no longer the dequantised model's
        }

        Tokenizer tokenizer;
        try
        {
            tokenizer = AutoTokenizer.Load(tokenizerPath ?? path);
        }
        catch (TokenizerException e) when (tokenizerPath is null)
        {
            throw new ArgumentException($"--tokenizer: '{path}' has no usable tokenizer metadata ({e.Message}); pass the model's tokenizer (tokenizer.json, tokenizer.model or a llama2.c tokenizer .bin).", e);
        }

        IReadOnlyList<int> eos = [];
        using (var file = GgufFile.Open(path))
        {
            if (file.TryGetValue("tokenizer.ggml.eos_token_id", out var id))
            {
                eos = [id.AsInt32()];
            }
        }

        if (eos.Count == 0 && tokenizerPath is not null && tokenizerPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            eos = [Llama2CTokenizer.Bos]; // a llama2.c vocabulary: its stories end with BOS, as run.c stops there
        }

        return new GenerateModel(new CausalStepDecoder(model), false, text => tokenizer.Encode(text).Ids, ids => tokenizer.Decode(ids),
            new GenerationOptions { EosTokenIds = eos });
    }

    public static (LlamaForCausalLm Model, Llama2CTokenizer Tokenizer, int SequenceLength) LoadLlama2c(GenerateRequest request)
    {
        RefuseQuantizedActivations(request);
        if (request.ModelPath is null)
        {
            if (request.TokenizerPath is not null)
            {
                throw new ArgumentException("--tokenizer needs --model: the embedded stories260K model comes with its own tok512 vocabulary.");
            }

            return DefaultModel.Load();
        }

        if (!File.Exists(request.ModelPath))
        {
            throw new ArgumentException($"--model: expected an HF model folder or a llama2.c .bin file; found nothing at '{request.ModelPath}'.");
        }

        var tokenizerPath = request.TokenizerPath
            ?? throw new ArgumentException("--tokenizer: a llama2.c checkpoint needs its tokenizer .bin (e.g. tokenizer.bin or tok512.bin).");
        using var checkpoint = Llama2cCheckpoint.Open(request.ModelPath);
        var model = Llama2cLoader.Load(checkpoint);
        return (model, Llama2CTokenizer.Load(tokenizerPath, model.VocabSize), checkpoint.Config.SeqLen);
    }

    /// <summary>Refuses --quantized-activations int8 for a model without quantised matrices rather than ignoring it.</summary>
    private static void RefuseQuantizedActivations(GenerateRequest request)
    {
        if (request.QuantizedActivations != QuantizedActivations.Float32)
        {
            throw new ArgumentException("--quantized-activations int8: only a GGUF model with Q8_0 / Q4_0 matrices has quantised products; this model has none.");
        }
    }
}
