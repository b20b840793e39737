using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>
/// Diverse (group) beam search against brute force over full-recompute log-probabilities: each group is an ordinary
/// beam search whose scores lose diversity_penalty per earlier-group beam that chose the same token at the same step.
/// </summary>
public sealed class DiverseBeamSearchTests
{
    private static float[] LogProbs(ICausalLm model, int[] ids)
    {
        using var noGrad = Tensor.NoGrad();
        var logits = model.Forward(IntTensor.FromArray(ids, 1, ids.Length)).Logits.Narrow(1, ids.Length - 1, 1).Contiguous().ToArray();
        var result = new float[logits.Length];
        Softmax.Log(logits, result);
        return result;
    }

    [Fact]
    public void SingleBeamGroupsAreGreedyUnderTheHammingPenalty()
    {
        var fixture = new HfGenerateFixture("llama");
        var model = fixture.Model;
        var prompt = fixture.Prompts("single");
        const float penalty = 1.5f;
        var options = new GenerationOptions { NumBeams = 3, NumBeamGroups = 3, DiversityPenalty = penalty, NumReturnSequences = 3, MaxNewTokens = 3 };

        var result = new BeamSearch(model).Generate(prompt, options);

        // Brute force: at each step group g takes argmax over v of log p_g(v) − penalty · #(earlier groups that took v).
        var sequences = Enumerable.Range(0, 3).Select(_ => prompt.Ids[0].ToList()).ToArray();
        var sums = new float[3];
        for (var step = 0; step < 3; step++)
        {
            var taken = new List<int>();
            for (var g = 0; g < 3; g++)
            {
                var scores = LogProbs(model, [.. sequences[g]]);
                foreach (var t in taken)
                {
                    scores[t] -= penalty;
                }

                var best = TokenChooser.ArgMax(scores);
                sums[g] += scores[best];
                sequences[g].Add(best);
                taken.Add(best);
            }
        }

        var expected = Enumerable.Range(0, 3).OrderByDescending(g => sums[g]).ToArray();
        Assert.NotEqual(sequences[0], sequences[1]); // the penalty made the groups differ
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(sequences[expected[k]], result.Sequences[k]);
            Assert.Equal(sums[expected[k]] / 3.0, result.SequencesScores[k], 1e-4);
        }
    }

    [Fact]
    public void TwoFullWidthGroupsFindTheExhaustiveBestOfEachGroup()
    {
        // num_beams = 2V in two groups of V: each group's beam search over two steps is exhaustive. Group 0 ranks every
        // pair (a, b) by log p(a) + log p(b | a); group 1 loses the penalty once at step 1 (group 0 took every token once)
        // and penalty · count₀(b) at step 2, count₀(b) being how many of group 0's V beams took b at step 2.
        var fixture = new HfGenerateFixture("gpt2");
        var model = fixture.Model;
        var vocab = model.VocabSize;
        var prompt = fixture.Prompts("single");
        var width = prompt.Width;
        const float penalty = 0.75f;
        var options = new GenerationOptions
        {
            NumBeams = 2 * vocab,
            NumBeamGroups = 2,
            DiversityPenalty = penalty,
            NumReturnSequences = 2 * vocab,
            MaxNewTokens = 2,
            EarlyStopping = EarlyStopping.Always,
        };

        var result = new BeamSearch(model).Generate(prompt, options);

        var first = LogProbs(model, prompt.Ids[0]);
        var second = new float[vocab * vocab];
        using (Tensor.NoGrad())
        {
            var extended = Enumerable.Range(0, vocab).SelectMany(a => prompt.Ids[0].Append(a)).ToArray();
            var logits = model.Forward(IntTensor.FromArray(extended, vocab, width + 1)).Logits.Narrow(1, width, 1).Contiguous().ToArray(); // (V, 1, V)
            for (var a = 0; a < vocab; a++)
            {
                Softmax.Log(logits.AsSpan(a * vocab, vocab), second.AsSpan(a * vocab, vocab));
            }
        }

        var group0 = Enumerable.Range(0, vocab * vocab).Select(i => (Pair: i, Score: first[i / vocab] + second[i]))
            .OrderByDescending(c => c.Score).Take(vocab).ToArray();
        var count0 = new int[vocab];
        foreach (var (pair, _) in group0)
        {
            count0[pair % vocab]++;
        }

        var group1 = Enumerable.Range(0, vocab * vocab).Select(i => (Pair: i, Score: first[i / vocab] - penalty + (second[i] - (penalty * count0[i % vocab]))))
            .OrderByDescending(c => c.Score).Take(vocab).ToArray();
        var expected = group0.Concat(group1).OrderByDescending(c => c.Score).ToArray();
        Assert.Contains(group1[0].Pair, group0.Select(c => c.Pair)); // the groups overlap, so ranking them together matters
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal([expected[k].Pair / vocab, expected[k].Pair % vocab], result.GeneratedOnly[k]);
            Assert.Equal(expected[k].Score / 2.0, result.SequencesScores[k], 1e-4);
        }
    }

    [Fact]
    public void GroupsMustDivideTheBeamsAndCannotSample()
    {
        var fixture = new HfGenerateFixture("gpt2");
        var search = new BeamSearch(fixture.Model);
        var prompt = fixture.Prompts("single");
        Assert.Throws<ArgumentException>(() => search.Generate(prompt, new GenerationOptions { NumBeams = 4, NumBeamGroups = 3 }));
        Assert.Throws<ArgumentException>(() => search.Generate(prompt, new GenerationOptions { NumBeams = 4, NumBeamGroups = 2, DoSample = true }));
    }
}
