using System.Text.Json;
using Loom.Models.Auto;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>
/// One decoder model's generate fixtures (tests/testdata/hf/&lt;model&gt;/, copied from shared/fixtures/hf, produced by
/// transformers 4.44.2): the prompts of inputs.json and the expected greedy / beam outputs.
/// </summary>
internal sealed class HfGenerateFixture
{
    private static readonly Dictionary<string, ICausalLm> Models = [];

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

    public ICausalLm Model
    {
        get
        {
            lock (Models)
            {
                if (!Models.TryGetValue(Name, out var model))
                {
                    model = AutoModel.LoadCausalLm(Folder);
                    Models[Name] = model;
                }

                return model;
            }
        }
    }

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

    public static int[][] IntRows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray())];

    public static float[] Floats(JsonElement tensor) =>
        [.. tensor.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];

    public static int[] Shape(JsonElement tensor) =>
        [.. tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())];
}
