using System.Text.Json;
using Loom.Models.Auto;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;

namespace Loom.Generation.Tests;

/// <summary>
/// One model's generate fixtures (tests/testdata/hf/&lt;model&gt;/, copied from shared/fixtures/hf, produced by
/// transformers 4.44.2): the prompts of inputs.json and the expected greedy / beam outputs.
/// </summary>
internal sealed class HfGenerateFixture
{
    private static readonly Dictionary<string, ICausalLm> CausalModels = [];
    private static readonly Dictionary<string, ISeq2SeqLm> Seq2SeqModels = [];

    public HfGenerateFixture(string name)
    {
        Name = name;
        Folder = TestData.Path("hf", name);
        Inputs = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, "inputs.json"))).RootElement;
        Greedy = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, "expected_generate_greedy.json"))).RootElement;
        Beam = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, "expected_generate_beam.json"))).RootElement;
    }

    public string Name { get; }

    public string Folder { get; }

    public JsonElement Inputs { get; }

    public JsonElement Greedy { get; }

    public JsonElement Beam { get; }

    /// <summary>The decoder-only model of the folder (loaded once per test run).</summary>
    public ICausalLm Model => Cached(CausalModels, AutoModel.LoadCausalLm);

    /// <summary>The encoder-decoder model of the folder (bart, t5, t5_v1_1; loaded once per test run).</summary>
    public ISeq2SeqLm Seq2SeqModel => Cached(Seq2SeqModels, AutoModel.LoadSeq2SeqLm);

    /// <summary>"batch" → inputs.generate, "single" → inputs.generate_single.</summary>
    public PromptBatch Prompts(string variant)
    {
        var input = Inputs.GetProperty(variant == "batch" ? "generate" : "generate_single");
        return new PromptBatch(IntRows(input.GetProperty("input_ids")), IntRows(input.GetProperty("attention_mask")));
    }

    /// <summary>The options of a fixture's generation_config.</summary>
    public static GenerationOptions Options(JsonElement expected)
    {
        var config = expected.GetProperty("generation_config");
        return new GenerationOptions
        {
            MaxNewTokens = config.GetProperty("max_new_tokens").GetInt32(),
            NumBeams = config.GetProperty("num_beams").GetInt32(),
            NumReturnSequences = config.GetProperty("num_return_sequences").GetInt32(),
            EarlyStopping = config.GetProperty("early_stopping").GetBoolean() ? EarlyStopping.Always : EarlyStopping.Heuristic,
            LengthPenalty = config.GetProperty("length_penalty").GetSingle(),
            EosTokenIds = [config.GetProperty("eos_token_id").GetInt32()],
            PadTokenId = config.GetProperty("pad_token_id").GetInt32(),
        };
    }

    /// <summary>The encoder-decoder step decoder and options of one expected file's generation_config.</summary>
    public (Seq2SeqStepDecoder Decoder, GenerationOptions Options) Seq2SeqSettings(JsonElement expected)
    {
        var config = HfGenerationConfig.Parse(expected.GetProperty("generation_config"));
        return (new Seq2SeqStepDecoder(Seq2SeqModel, config.DecoderStartTokenId), config.Options);
    }

    public static int[][] IntRows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray())];

    public static float[] Floats(JsonElement tensor) =>
        [.. tensor.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];

    public static int[] Shape(JsonElement tensor) =>
        [.. tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())];

    private T Cached<T>(Dictionary<string, T> models, Func<string, T> load)
    {
        lock (models)
        {
            if (!models.TryGetValue(Name, out var model))
            {
                model = load(Folder);
                models[Name] = model;
            }

            return model;
        }
    }
}
