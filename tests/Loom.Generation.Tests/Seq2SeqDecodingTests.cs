using Loom.Core;

namespace Loom.Generation.Tests;

/// <summary>
/// The encoder-decoder decoding session: encoder once, cross-attention keys/values projected once and reused by every
/// beam step, rows reordered across inputs correctly, HF's forced BOS / EOS positions, and beam search with
/// num_beams = V equal to the exhaustive search.
/// </summary>
public sealed class Seq2SeqDecodingTests
{
    [Fact]
    public void BeamSearchEncodesOnceAndReusesCrossAttentionKeys()
    {
        var fixture = new HfGenerateFixture("t5");
        var counting = new CountingSeq2SeqLm(fixture.Seq2SeqModel);
        var (_, options) = fixture.Seq2SeqSettings(fixture.Beam);

        var result = new BeamSearch(new Seq2SeqStepDecoder(counting)).Generate(fixture.Prompts("batch"), options);

        Assert.Equal(1, counting.EncodeCalls);
        Assert.Equal(10, counting.CrossKeysAfterDecode.Count); // one decoder call before each of the 10 generated columns
        Assert.Equal([6, 4, 10, 16], counting.CrossKeysAfterDecode[0].Shape); // (B·num_beams, H, S, D)
        Assert.All(counting.CrossKeysAfterDecode, keys => Assert.Same(counting.CrossKeysAfterDecode[0], keys));
        Assert.Equal(4, result.Sequences.Length);
    }

    [Fact]
    public void ReorderAcrossInputsEqualsDecodingTheReorderedBatch()
    {
        var fixture = new HfGenerateFixture("bart");
        var decoder = new Seq2SeqStepDecoder(fixture.Seq2SeqModel);
        var prompts = fixture.Prompts("batch");
        var swapped = new PromptBatch([prompts.Ids[1], prompts.Ids[0]], [prompts.Mask[1], prompts.Mask[0]]);
        int[] first = [5, 7];

        var (session, _) = decoder.Begin(prompts, 1);
        session.Step(first);
        session.Reorder([1, 0]);
        var reordered = session.Step([11, 13]);

        var (fresh, _) = decoder.Begin(swapped, 1);
        fresh.Step([first[1], first[0]]);
        var expected = fresh.Step([11, 13]);

        Assert.Equal(expected.Length, reordered.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], reordered[i], 1e-4f);
        }
    }

    [Fact]
    public void ForcedBosAndEosTakeTheFirstAndLastDecoderPositions()
    {
        var fixture = new HfGenerateFixture("bart");
        var (decoder, options) = fixture.Seq2SeqSettings(fixture.Greedy);
        options = options with { ForcedBosTokenId = 0, ForcedEosTokenId = 3, MaxNewTokens = 5, EosTokenIds = [] };

        var result = new TextGenerator(decoder).Generate(fixture.Prompts("batch"), options);

        // HF: forced BOS when the decoder row holds only the start token, forced EOS when it reaches max_length − 1.
        foreach (var row in result.Sequences)
        {
            Assert.Equal(2, row[0]);
            Assert.Equal(0, row[1]);
            Assert.Equal(3, row[^1]);
            Assert.Equal(6, row.Length);
        }

        Assert.All(result.Scores[0].Where((_, v) => v % decoder.VocabSize != 0), s => Assert.Equal(float.NegativeInfinity, s));
        Assert.All(result.Scores[^1].Where((_, v) => v % decoder.VocabSize != 3), s => Assert.Equal(float.NegativeInfinity, s));
    }

    [Fact]
    public void FullWidthBeamSearchFindsTheExhaustiveBest()
    {
        var fixture = new HfGenerateFixture("t5");
        var model = fixture.Seq2SeqModel;
        var vocab = model.VocabSize;
        var prompt = fixture.Prompts("single");
        var start = model.DecoderStartTokenId;
        var options = new GenerationOptions { NumBeams = vocab, NumReturnSequences = 3, MaxNewTokens = 2, EarlyStopping = EarlyStopping.Always };

        var beams = new BeamSearch(new Seq2SeqStepDecoder(model)).Generate(prompt, options);

        // Brute force: log p(a | x) + log p(b | x, a) for every pair (a, b), from uncached decoder calls.
        float[] first = new float[vocab], second = new float[vocab * vocab];
        using (Tensor.NoGrad())
        {
            var ids = IntTensor.FromArray(prompt.Ids[0], 1, prompt.Width);
            var mask = IntTensor.FromArray(prompt.Mask[0], 1, prompt.Width);
            var memory = model.Encode(ids, mask).LastHiddenState; // (1, S, C)
            Softmax.Log(model.Decode(IntTensor.FromArray([start], 1, 1), memory, mask).Logits.ToArray(), first);
            var repeated = memory.IndexSelect(0, IntTensor.FromArray(new int[vocab], vocab)); // (V, S, C)
            var repeatedMask = IntTensor.FromArray([.. Enumerable.Range(0, vocab).SelectMany(_ => prompt.Mask[0])], vocab, prompt.Width);
            var pairs = IntTensor.FromArray([.. Enumerable.Range(0, vocab).SelectMany(a => new[] { start, a })], vocab, 2);
            var logits = model.Decode(pairs, repeated, repeatedMask).Logits.Narrow(1, 1, 1).Contiguous().ToArray(); // (V, 1, V)
            for (var a = 0; a < vocab; a++)
            {
                Softmax.Log(logits.AsSpan(a * vocab, vocab), second.AsSpan(a * vocab, vocab));
            }
        }

        var best = Enumerable.Range(0, vocab * vocab)
            .Select(i => (A: i / vocab, B: i % vocab, Score: (first[i / vocab] + second[i]) / 2.0))
            .OrderByDescending(c => c.Score).Take(3).ToArray();
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal([best[k].A, best[k].B], beams.GeneratedOnly[k]);
            Assert.Equal(best[k].Score, beams.SequencesScores[k], 1e-4);
        }
    }
}
