using System.Text.Json;
using Loom.Core;
using Loom.Models.Auto;
using Loom.Models.Decoding;

namespace Loom.Models.Tests.Decoders;

/// <summary>
/// The key/value cache against HF generate(): the left-padded "generate" batch is prefilled, then fed the fixture's
/// greedy tokens one at a time with the attention mask extended by ones and HF's position ids
/// (cumsum(mask) − 1, 1 at padding). Every step's last-position logits must equal expected_generate_greedy.json's raw
/// logits, and the logits of a full forward pass (no cache) over the same tokens.
/// </summary>
public sealed class IncrementalDecodingTests
{
    public static TheoryData<string> Fixtures => ["gpt2", "llama", "llama_gqa", "qwen2", "bloom"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void CachedGreedyStepsMatchHuggingFaceAndTheFullForward(string fixture)
    {
        var dir = FixturePaths.Hf(fixture);
        var model = AutoModel.LoadCausalLm(dir);
        using var inputs = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "inputs.json")));
        using var greedy = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected_generate_greedy.json")));
        var prompt = Rows(inputs.RootElement.GetProperty("generate").GetProperty("input_ids"));
        var promptMask = Rows(inputs.RootElement.GetProperty("generate").GetProperty("attention_mask"));
        var batch = greedy.RootElement.GetProperty("batch");
        var sequences = Rows(batch.GetProperty("sequences"));
        var logitsShape = batch.GetProperty("logits").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var expected = batch.GetProperty("logits").GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        int steps = logitsShape[0], b = logitsShape[1], v = logitsShape[2], t0 = prompt[0].Length;
        var eos = greedy.RootElement.GetProperty("generation_config").GetProperty("eos_token_id").GetInt32();

        using var noGrad = Tensor.NoGrad();
        var cache = new DecoderCache(model.LayerCount);
        var mask = promptMask.Select(r => r.ToList()).ToList();
        var cached = new List<float[]>();
        for (var step = 0; step < steps; step++)
        {
            var ids = step == 0 ? prompt : sequences.Select(r => new[] { r[t0 + step - 1] }).ToArray();
            if (step > 0)
            {
                mask.ForEach(r => r.Add(1));
            }

            var output = model.Forward(Ints(ids), Ints(mask.Select(r => r.ToArray()).ToArray()), Positions(mask, ids[0].Length), cache);
            var t = ids[0].Length;
            var last = output.Logits.Narrow(1, t - 1, 1).Reshape(b, v).ToArray(); // (B, V)
            cached.Add(last);
            for (var row = 0; row < b; row++)
            {
                for (var j = 0; j < v; j++)
                {
                    var reference = expected[(((step * b) + row) * v) + j];
                    Assert.True(Math.Abs(last[(row * v) + j] - reference) <= 1e-4 + (1e-4 * Math.Abs(reference)),
                        $"{fixture} step {step} row {row} token {j}: {last[(row * v) + j]} vs HF {reference}");
                }

                var finished = sequences[row].Skip(t0).Take(step).Contains(eos);
                if (!finished)
                {
                    var argmax = Enumerable.Range(0, v).MaxBy(j => last[(row * v) + j]);
                    Assert.Equal(sequences[row][t0 + step], argmax);
                }
            }
        }

        Assert.Equal(steps, cache.Length - t0 + 1);
        var all = sequences.Select(r => r.Take(t0 + steps - 1).ToArray()).ToArray();
        var full = model.Forward(Ints(all), Ints(mask.Select(r => r.ToArray()).ToArray()), Positions(mask, all[0].Length));
        for (var step = 0; step < steps; step++)
        {
            var fromFull = full.Logits.Narrow(1, t0 - 1 + step, 1).Reshape(b, v).ToArray();
            for (var i = 0; i < fromFull.Length; i++)
            {
                Assert.True(Math.Abs(fromFull[i] - cached[step][i]) <= 1e-4, $"{fixture} step {step}: cached {cached[step][i]} vs full {fromFull[i]} at {i}");
            }
        }
    }

    private static int[][] Rows(JsonElement element) =>
        [.. element.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt32()).ToArray())];

    private static IntTensor Ints(int[][] rows) => IntTensor.FromArray([.. rows.SelectMany(r => r)], rows.Length, rows[0].Length);

    /// <summary>HF prepare_inputs_for_generation: cumsum(mask) − 1, 1 where masked, the last <paramref name="length"/> columns.</summary>
    private static IntTensor Positions(List<List<int>> mask, int length)
    {
        var rows = mask.Select(r =>
        {
            var count = 0;
            var positions = r.Select(m => { count += m; return m == 0 ? 1 : count - 1; }).ToArray();
            return positions[^length..];
        }).ToArray();
        return Ints(rows);
    }
}
