using Loom.Core;

namespace Loom.Generation.Tests;

/// <summary>With num_beams = V, two steps of beam search must return the best two-token continuations found by brute force.</summary>
public sealed class ExhaustiveBeamTests
{
    [Fact]
    public void FullWidthBeamSearchFindsTheExhaustiveBest()
    {
        var fixture = new HfGenerateFixture("gpt2");
        var model = fixture.Model;
        var vocab = model.VocabSize;
        var prompt = fixture.Prompts("single");
        var options = new GenerationOptions { NumBeams = vocab, NumReturnSequences = 3, MaxNewTokens = 2, EarlyStopping = EarlyStopping.Always };

        var beams = new BeamSearch(model).Generate(prompt, options);

        // Brute force: log p(a | prompt) + log p(b | prompt, a) for every pair (a, b).
        var width = prompt.Width;
        float[] first = new float[vocab], second = new float[vocab * vocab];
        using (Tensor.NoGrad())
        {
            var promptLogits = model.Forward(IntTensor.FromArray(prompt.Ids[0], 1, width)).Logits.Narrow(1, width - 1, 1).Contiguous().ToArray();
            Softmax.Log(promptLogits, first);
            var extended = Enumerable.Range(0, vocab).SelectMany(a => prompt.Ids[0].Append(a)).ToArray();
            var logits = model.Forward(IntTensor.FromArray(extended, vocab, width + 1)).Logits.Narrow(1, width, 1).Contiguous().ToArray(); // (V, 1, V)
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
