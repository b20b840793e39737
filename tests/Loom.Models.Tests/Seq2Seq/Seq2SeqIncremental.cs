// Incremental decoding must reproduce the full forward pass: the encoder runs once, then the decoder is fed one token
// at a time with a Seq2SeqCache (self-attention keys/values appended, cross-attention keys/values projected once).
using Loom.Core;
using Loom.Models.Conformance;
using Loom.Models.Seq2Seq;
using Loom.Models.Tests.Bert;

namespace Loom.Models.Tests.Seq2Seq;

/// <summary>Compares step-by-step decoding with one full decoder call on a fixture's padded forward batch.</summary>
internal static class Seq2SeqIncremental
{
    /// <summary>Largest |incremental − full| logit difference over valid decoder positions; asserts it is within tolerance.</summary>
    public static double AssertMatchesFullForward(ISeq2SeqLm model, string fixture, double tolerance)
    {
        var inputs = FixtureJson.ReadInputs(Path.Combine(HfFixture.Dir(fixture), "inputs.json"), "forward");
        var (ids, mask, decoderIds, decoderMask) = (inputs["input_ids"], inputs["attention_mask"], inputs["decoder_input_ids"], inputs["decoder_attention_mask"]);
        using var noGrad = Tensor.NoGrad();
        var encoded = model.Encode(ids, mask);
        var full = model.Decode(decoderIds, encoded.LastHiddenState, mask, decoderMask).Logits.ToArray(); // (B, T, V)
        var (b, t, v) = (decoderIds.Shape[0], decoderIds.Shape[1], model.VocabSize);
        var tokens = decoderIds.ToArray();
        var validity = decoderMask.ToArray();
        var cache = new Seq2SeqCache(model.DecoderLayerCount);
        double worst = 0;
        var compared = 0;
        for (var i = 0; i < t; i++)
        {
            var step = IntTensor.FromArray([.. Enumerable.Range(0, b).Select(row => tokens[(row * t) + i])], b, 1);
            var seen = IntTensor.FromArray([.. Enumerable.Range(0, b * (i + 1)).Select(k => validity[((k / (i + 1)) * t) + (k % (i + 1))])], b, i + 1);
            var logits = model.Decode(step, encoded.LastHiddenState, mask, seen, cache).Logits.ToArray(); // (B, 1, V)
            Assert.Equal(i + 1, cache.SelfAttention.Length);
            for (var row = 0; row < b; row++)
            {
                if (validity[(row * t) + i] == 0)
                {
                    continue;
                }

                for (var j = 0; j < v; j++)
                {
                    var expected = full[(((row * t) + i) * v) + j];
                    var error = Math.Abs(logits[(row * v) + j] - expected);
                    Assert.True(error <= tolerance * (1 + Math.Abs(expected)), $"row {row} position {i} token {j}: incremental {logits[(row * v) + j]}, full {expected}");
                    worst = Math.Max(worst, error);
                    compared++;
                }
            }
        }

        Assert.True(compared > 0);
        return worst;
    }
}
