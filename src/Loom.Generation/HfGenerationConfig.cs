// Reading Hugging Face transformers' GenerationConfig (generation/configuration_utils.py, v4.44) from a
// generation_config.json, or from config.json as GenerationConfig.from_model_config does when the folder has none:
// the special tokens (eos_token_id as one id or a list, pad_token_id, decoder_start_token_id), the forced first / last
// tokens BART checkpoints set (forced_bos_token_id, forced_eos_token_id), the strategy and processor settings that
// GenerationOptions models, and cache_implementation "static" (a preallocated KV cache). max_length is not read: Loom bounds generation by max_new_tokens (HF lets
// max_new_tokens win over max_length when both are given).
using System.Text.Json;

namespace Loom.Generation;

/// <summary>The generation settings of a checkpoint: <see cref="Options"/> plus the decoder start token.</summary>
public sealed record HfGenerationConfig(GenerationOptions Options, int? DecoderStartTokenId)
{
    /// <summary>
    /// Reads <c>dir/generation_config.json</c>, or <c>dir/config.json</c> when there is none; a folder with neither gives
    /// the defaults.
    /// </summary>
    public static HfGenerationConfig Load(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        foreach (var file in new[] { "generation_config.json", "config.json" })
        {
            var path = Path.Combine(dir, file);
            if (File.Exists(path))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(path));
                return Parse(json.RootElement, path);
            }
        }

        return new HfGenerationConfig(new GenerationOptions(), null);
    }

    /// <summary>Reads the keys present in <paramref name="config"/> (null values keep Loom's defaults); <paramref name="where"/> names it in errors.</summary>
    public static HfGenerationConfig Parse(JsonElement config, string where = "generation config")
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected a JSON object; found {config.ValueKind}.");
        }

        var defaults = new GenerationOptions();
        var options = defaults with
        {
            MaxNewTokens = Int(config, "max_new_tokens", where) ?? defaults.MaxNewTokens,
            NumBeams = Int(config, "num_beams", where) ?? defaults.NumBeams,
            NumReturnSequences = Int(config, "num_return_sequences", where) ?? defaults.NumReturnSequences,
            LengthPenalty = Float(config, "length_penalty", where) ?? defaults.LengthPenalty,
            EarlyStopping = Present(config, "early_stopping", out var early) ? ParseEarlyStopping(early, where) : defaults.EarlyStopping,
            DoSample = Present(config, "do_sample", out var sample) ? sample.ValueKind == JsonValueKind.True : defaults.DoSample,
            Temperature = Float(config, "temperature", where) ?? defaults.Temperature,
            TopK = Int(config, "top_k", where) ?? defaults.TopK,
            TopP = Float(config, "top_p", where) ?? defaults.TopP,
            RepetitionPenalty = Float(config, "repetition_penalty", where) ?? defaults.RepetitionPenalty,
            NoRepeatNGramSize = Int(config, "no_repeat_ngram_size", where) ?? defaults.NoRepeatNGramSize,
            MinLength = Int(config, "min_length", where) ?? defaults.MinLength,
            MinNewTokens = Int(config, "min_new_tokens", where) ?? defaults.MinNewTokens,
            EosTokenIds = Present(config, "eos_token_id", out var eos)
                ? eos.ValueKind == JsonValueKind.Array ? [.. eos.EnumerateArray().Select(e => Id(e, "eos_token_id", where))] : [Id(eos, "eos_token_id", where)]
                : defaults.EosTokenIds,
            PadTokenId = Int(config, "pad_token_id", where),
            ForcedBosTokenId = Int(config, "forced_bos_token_id", where),
            ForcedEosTokenId = Int(config, "forced_eos_token_id", where),
            FixedKvCache = Present(config, "cache_implementation", out var cache) && cache.ValueKind == JsonValueKind.String && cache.GetString() == "static",
        };
        return new HfGenerationConfig(options, Int(config, "decoder_start_token_id", where));
    }

    private static EarlyStopping ParseEarlyStopping(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.True => EarlyStopping.Always,
        JsonValueKind.False => EarlyStopping.Heuristic,
        JsonValueKind.String when value.GetString() == "never" => EarlyStopping.Never,
        _ => throw new InvalidDataException($"{where}: early_stopping: expected true, false or \"never\"; found {value}."),
    };

    private static bool Present(JsonElement config, string key, out JsonElement value) =>
        config.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    private static int? Int(JsonElement config, string key, string where) =>
        Present(config, key, out var value) ? Id(value, key, where) : null;

    private static int Id(JsonElement value, string key, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new InvalidDataException($"{where}: {key}: expected an integer; found {value}.");

    private static float? Float(JsonElement config, string key, string where) =>
        !Present(config, key, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetSingle()
        : throw new InvalidDataException($"{where}: {key}: expected a number; found {value}.");
}
