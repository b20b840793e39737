// Cached greedy decoding of the encoder-decoder fixtures against HF generate() (expected_generate_greedy.json, README
// §3.4): the encoder runs once, the decoder one token per step with a Seq2SeqCache; every step's raw logits must match
// HF's within the README tolerance (1e-3 absolute for BART/T5) and the token sequences must be identical, including
// pad after EOS for finished rows and the stop when every row has finished.
using System.Text.Json;
using Loom.Core;
using Loom.Models.Bart;
using Loom.Models.Conformance;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Models.Tests.Bert;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Seq2Seq;

public sealed class Seq2SeqGreedyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("bart", "batch", "generate")]
    [InlineData("bart", "single", "generate_single")]
    [InlineData("t5", "batch", "generate")]
    [InlineData("t5", "single", "generate_single")]
    [InlineData("t5_v1_1", "batch", "generate")]
    [InlineData("t5_v1_1", "single", "generate_single")]
    public void CachedGreedy_MatchesGenerate(string fixture, string part, string inputCase)
    {
        var dir = HfFixture.Dir(fixture);
        ISeq2SeqLm model = fixture == "bart" ? BartForConditionalGeneration.Load(dir) : T5ForConditionalGeneration.Load(dir);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected_generate_greedy.json")));
        var settings = document.RootElement.GetProperty("generation_config");
        var (eos, pad, start) = (settings.GetProperty("eos_token_id").GetInt32(), settings.GetProperty("pad_token_id").GetInt32(), settings.GetProperty("decoder_start_token_id").GetInt32());
        var maxNew = settings.GetProperty("max_new_tokens").GetInt32();
        var expected = document.RootElement.GetProperty(part);
        var expectedSequences = expected.GetProperty("sequences").EnumerateArray().Select(r => r.EnumerateArray().Select(t => t.GetInt32()).ToArray()).ToArray();
        var expectedLogits = FixtureJson.ReadExpected(expected.GetProperty("logits"), $"{fixture} {part} logits").Floats!; // (steps, B, V)
        var inputs = FixtureJson.ReadInputs(Path.Combine(dir, "inputs.json"), inputCase);
        var tolerance = Tolerance.ForModelType("t5");

        using var noGrad = Tensor.NoGrad();
        var (ids, mask) = (inputs["input_ids"], inputs["attention_mask"]);
        var b = ids.Shape[0];
        var v = model.VocabSize;
        var encoded = model.Encode(ids, mask);
        var cache = new Seq2SeqCache(model.DecoderLayerCount);
        var sequences = Enumerable.Range(0, b).Select(_ => new List<int> { start }).ToArray();
        var finished = new bool[b];
        var reference = expectedLogits.ToArray();
        double worst = 0;
        var steps = 0;
        while (steps < maxNew && !finished.All(f => f))
        {
            var current = IntTensor.FromArray([.. sequences.Select(s => s[^1])], b, 1);
            var logits = model.Decode(current, encoded.LastHiddenState, mask, null, cache).Logits.ToArray(); // (B, 1, V)
            Assert.True(steps < expectedLogits.Size(0), $"decoded more steps than HF ({expectedLogits.Size(0)})");
            for (var i = 0; i < logits.Length; i++)
            {
                var hf = reference[(steps * b * v) + i];
                Assert.True(tolerance.Accepts(logits[i], hf), $"step {steps}, row {i / v}, token {i % v}: Loom {logits[i]}, HF {hf}");
                worst = Math.Max(worst, Math.Abs(logits[i] - hf));
            }

            for (var row = 0; row < b; row++)
            {
                var next = finished[row] ? pad : ArgMax(logits.AsSpan(row * v, v));
                sequences[row].Add(next);
                finished[row] |= next == eos;
            }

            steps++;
        }

        output.WriteLine($"{steps} steps, max |Loom − HF| logit {worst:g3}");
        Assert.Equal(expectedLogits.Size(0), steps);
        Assert.Equal(expectedSequences, sequences.Select(s => s.ToArray()).ToArray());
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
