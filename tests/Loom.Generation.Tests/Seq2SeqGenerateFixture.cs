using System.Text.Json;
using Loom.Models.Auto;
using Loom.Models.Seq2Seq;

namespace Loom.Generation.Tests;

/// <summary>
/// One encoder-decoder fixture (tests/testdata/hf/{bart,t5,t5_v1_1}, copied from shared/fixtures/hf, produced by
/// transformers 4.44.2): the encoder inputs of inputs.json, the expected greedy / beam outputs and their settings.
/// </summary>
internal sealed class Seq2SeqGenerateFixture
{
    private static readonly Dictionary<string, ISeq2SeqLm> Models = [];

    public Seq2SeqGenerateFixture(string name)
    {
        Name = name;
        Folder = TestData.Path("hf", name);
        Inputs = Json("inputs.json");
        Greedy = Json("expected_generate_greedy.json");
        Beam = Json("expected_generate_beam.json");
    }

    public string Name { get; }

    public string Folder { get; }

    public JsonElement Inputs { get; }

    public JsonElement Greedy { get; }

    public JsonElement Beam { get; }

    public ISeq2SeqLm Model
    {
        get
        {
            lock (Models)
            {
                if (!Models.TryGetValue(Name, out var model))
                {
                    model = AutoModel.LoadSeq2SeqLm(Folder);
                    Models[Name] = model;
                }

                return model;
            }
        }
    }

    /// <summary>"batch" → inputs.generate (right-padded encoder rows), "single" → inputs.generate_single.</summary>
    public PromptBatch Prompts(string variant)
    {
        var input = Inputs.GetProperty(variant == "batch" ? "generate" : "generate_single");
        return new PromptBatch(HfGenerateFixture.IntRows(input.GetProperty("input_ids")), HfGenerateFixture.IntRows(input.GetProperty("attention_mask")));
    }

    /// <summary>The step decoder and options of one expected file's generation_config.</summary>
    public (Seq2SeqStepDecoder Decoder, GenerationOptions Options) Settings(JsonElement expected)
    {
        var config = HfGenerationConfig.Parse(expected.GetProperty("generation_config"));
        return (new Seq2SeqStepDecoder(Model, config.DecoderStartTokenId), config.Options);
    }

    private JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, file))).RootElement;
}
