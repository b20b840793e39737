// The generation half of `loom conformance DIR`: runs a fixture folder's expected_generate_greedy.json and
// expected_generate_beam.json (shared/fixtures/hf/README.md §3.4, transformers 4.44.2 generate()) with the settings
// recorded in each file's generation_config, on the "generate" (batched, padded) and "generate_single" inputs of
// inputs.json. Token sequences, generated parts and beam indices must be identical; per-step scores (greedy) and
// sequence scores (beam) must be within the tolerance.
using System.Text.Json;
using Loom.Models.Auto;
using Loom.Models.Conformance;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;

namespace Loom.Generation.Conformance;

/// <summary>Compares Loom's greedy and beam generation with a fixture folder's HF references.</summary>
public static class GenerateConformance
{
    private static readonly (string Variant, string Input)[] Variants = [("batch", "generate"), ("single", "generate_single")];

    /// <summary>Whether <paramref name="dir"/> holds any generate fixture.</summary>
    public static bool HasFixtures(string dir) =>
        File.Exists(Path.Combine(dir, "expected_generate_greedy.json")) || File.Exists(Path.Combine(dir, "expected_generate_beam.json"));

    /// <summary>
    /// Loads the model of <paramref name="dir"/> (decoder-only or encoder-decoder) and runs every generate fixture it has;
    /// empty when it has none. Tolerance defaults to the README's for the model type.
    /// </summary>
    public static IReadOnlyList<OutputComparison> Run(string dir, Tolerance? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!HasFixtures(dir))
        {
            return [];
        }

        var config = AutoConfig.Load(dir);
        tolerance ??= Tolerance.ForModelType(config.ModelType);
        Func<int?, IStepDecoder> decoderFor;
        if (config.IsEncoderDecoder)
        {
            ISeq2SeqLm seq2seq = AutoModel.LoadSeq2SeqLm(dir);
            decoderFor = start => new Seq2SeqStepDecoder(seq2seq, start);
        }
        else
        {
            ICausalLm causal = AutoModel.LoadCausalLm(dir);
            decoderFor = _ => new CausalStepDecoder(causal);
        }

        var comparisons = new List<OutputComparison>();
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "inputs.json")));
        foreach (var (strategy, file) in new[] { ("greedy", "expected_generate_greedy.json"), ("beam", "expected_generate_beam.json") })
        {
            var path = Path.Combine(dir, file);
            if (!File.Exists(path))
            {
                continue;
            }

            using var expected = JsonDocument.Parse(File.ReadAllText(path));
            var settings = HfGenerationConfig.Parse(expected.RootElement.GetProperty("generation_config"), path);
            var decoder = decoderFor(settings.DecoderStartTokenId);
            foreach (var (variant, inputCase) in Variants)
            {
                if (!expected.RootElement.TryGetProperty(variant, out var reference))
                {
                    continue;
                }

                var prompts = Prompts(inputs.RootElement.GetProperty(inputCase));
                var caseName = $"{strategy}/{variant}";
                if (strategy == "greedy")
                {
                    var result = new TextGenerator(decoder).Generate(prompts, settings.Options);
                    comparisons.Add(CompareTokens(caseName, "sequences", IntRows(reference.GetProperty("sequences")), result.Sequences));
                    comparisons.Add(CompareTokens(caseName, "generated_only", IntRows(reference.GetProperty("generated_only")), result.GeneratedOnly));
                    comparisons.Add(CompareScores(caseName, "scores", reference.GetProperty("scores"), [.. result.Scores.SelectMany(s => s)], tolerance));
                }
                else
                {
                    var result = new BeamSearch(decoder).Generate(prompts, settings.Options);
                    comparisons.Add(CompareTokens(caseName, "sequences", IntRows(reference.GetProperty("sequences")), result.Sequences));
                    comparisons.Add(CompareTokens(caseName, "beam_indices", IntRows(reference.GetProperty("beam_indices")), result.BeamIndices));
                    comparisons.Add(CompareTokens(caseName, "generated_only", IntRows(reference.GetProperty("generated_only")), result.GeneratedOnly));
                    comparisons.Add(CompareScores(caseName, "sequences_scores", reference.GetProperty("sequences_scores"), result.SequencesScores, tolerance));
                }
            }
        }

        return comparisons;
    }

    private static PromptBatch Prompts(JsonElement input) =>
        new(IntRows(input.GetProperty("input_ids")), IntRows(input.GetProperty("attention_mask")));

    private static int[][] IntRows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray())];

    private static OutputComparison CompareTokens(string caseName, string output, int[][] expected, int[][] actual)
    {
        int[] shape = [expected.Length, expected.Length == 0 ? 0 : expected[0].Length];
        var count = expected.Sum(r => r.Length);
        string? note = null;
        if (expected.Length != actual.Length)
        {
            note = $"expected {expected.Length} rows; found {actual.Length}";
        }
        else
        {
            for (var row = 0; row < expected.Length && note is null; row++)
            {
                if (!expected[row].SequenceEqual(actual[row]))
                {
                    note = $"row {row}: expected [{string.Join(", ", expected[row])}]; found [{string.Join(", ", actual[row])}]";
                }
            }
        }

        var same = note is null;
        return new OutputComparison(caseName, output, shape, count, same ? 0 : double.NaN, same ? 0 : double.NaN, same, false, note);
    }

    private static OutputComparison CompareScores(string caseName, string output, JsonElement expected, float[] actual, Tolerance tolerance)
    {
        int[] shape = [.. expected.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())];
        float[] reference = [.. expected.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
        if (reference.Length != actual.Length)
        {
            return new OutputComparison(caseName, output, shape, 0, double.NaN, double.NaN, false, false,
                $"expected {reference.Length} values; found {actual.Length}");
        }

        double maxAbs = 0, maxRel = 0;
        var outside = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            // Masked scores are −∞ on both sides (e.g. forced tokens); equal infinities are a match.
            var error = reference[i] == actual[i] ? 0 : Math.Abs((double)actual[i] - reference[i]);
            if (!(error <= tolerance.Absolute + (tolerance.Relative * Math.Abs(reference[i]))))
            {
                outside++;
            }

            maxAbs = Math.Max(maxAbs, double.IsNaN(error) ? double.NaN : error);
            if (Math.Abs(reference[i]) >= tolerance.Absolute && !double.IsInfinity(reference[i]))
            {
                maxRel = Math.Max(maxRel, error / Math.Abs(reference[i]));
            }
        }

        return new OutputComparison(caseName, output, shape, reference.Length, maxAbs, maxRel, outside == 0 && reference.Length > 0, false,
            outside == 0 ? null : $"{outside} of {reference.Length} values outside tolerance");
    }
}
