// Loading what `loom generate` runs: an HF folder (AutoModel + AutoTokenizer, EOS/pad from generation_config.json or
// config.json), a llama2.c checkpoint with its tokenizer .bin, or the embedded stories260K.
using System.Text.Json;
using Loom.Formats.Llama2c;
using Loom.Generation.Llama2c;
using Loom.Models.Auto;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Tokenizers;
using Loom.Tokenizers.Formats;

namespace Loom.Cli.Commands;

/// <summary>A loaded model with its text codec and special tokens.</summary>
internal sealed record GenerateModel(ICausalLm Model, Func<string, IReadOnlyList<int>> Encode, Func<IReadOnlyList<int>, string> Decode,
    IReadOnlyList<int> EosTokenIds, int? PadTokenId)
{
    public static GenerateModel Load(GenerateRequest request)
    {
        if (request.ModelPath is { } dir && Directory.Exists(dir))
        {
            var model = AutoModel.LoadCausalLm(dir);
            var tokenizer = AutoTokenizer.Load(request.TokenizerPath ?? dir);
            var (eos, pad) = SpecialTokens(dir);
            return new GenerateModel(model, text => tokenizer.Encode(text).Ids, ids => tokenizer.Decode(ids), eos, pad);
        }

        var (llama, codec, _) = LoadLlama2c(request);
        // llama2.c models end a story with BOS (run.c stops there).
        return new GenerateModel(llama, text => codec.Encode(text), ids => codec.Decode(ids), [Llama2CTokenizer.Bos], Llama2CTokenizer.Bos);
    }

    public static (LlamaForCausalLm Model, Llama2CTokenizer Tokenizer, int SequenceLength) LoadLlama2c(GenerateRequest request)
    {
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

    private static (IReadOnlyList<int> Eos, int? Pad) SpecialTokens(string dir)
    {
        foreach (var file in new[] { "generation_config.json", "config.json" })
        {
            var path = Path.Combine(dir, file);
            if (!File.Exists(path))
            {
                continue;
            }

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            if (json.RootElement.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind != JsonValueKind.Null)
            {
                IReadOnlyList<int> ids = eos.ValueKind == JsonValueKind.Array ? [.. eos.EnumerateArray().Select(e => e.GetInt32())] : [eos.GetInt32()];
                int? pad = json.RootElement.TryGetProperty("pad_token_id", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
                return (ids, pad);
            }
        }

        return ([], null);
    }
}
