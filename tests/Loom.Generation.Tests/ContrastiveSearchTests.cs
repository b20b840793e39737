using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>
/// Contrastive search against brute force without a cache: at every step each row is run in full, its top-k tokens
/// are each appended and run in full again, and the candidate maximising (1 − α)·p − α·max cos(h_candidate, h_earlier)
/// is taken. The batch is left-padded, so the padded positions must stay out of the similarity.
/// </summary>
public sealed class ContrastiveSearchTests
{
    private static (float[] LastLogits, float[][] Hidden) Full(ICausalLm model, int[] ids)
    {
        using var noGrad = Tensor.NoGrad();
        var output = model.Forward(IntTensor.FromArray(ids, 1, ids.Length));
        var c = output.LastHiddenState.Size(2);
        var hidden = output.LastHiddenState.ToArray(); // (1, T, C)
        var logits = output.Logits.Narrow(1, ids.Length - 1, 1).Contiguous().ToArray();
        return (logits, [.. Enumerable.Range(0, ids.Length).Select(t => hidden.AsSpan(t * c, c).ToArray())]);
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(y => (double)y * y));

    private static List<int> BruteForce(ICausalLm model, int[] prompt, float alpha, int k, int newTokens)
    {
        var ids = prompt.ToList();
        for (var step = 0; step < newTokens; step++)
        {
            var (logits, hidden) = Full(model, [.. ids]);
            var p = Softmax.Compute(logits);
            var top = Enumerable.Range(0, p.Length).OrderByDescending(v => p[v]).Take(k);
            ids.Add(top.MaxBy(v => ((1 - alpha) * p[v]) - (alpha * hidden.Max(h => Cosine(h, Full(model, [.. ids, v]).Hidden[^1])))));
        }

        return ids;
    }

    [Theory]
    [InlineData("llama", 0.6f, 4)]
    [InlineData("gpt2", 0.9f, 3)]
    public void ContrastiveSearchEqualsBruteForceOverFullRecomputation(string name, float alpha, int k)
    {
        var fixture = new HfGenerateFixture(name);
        var model = fixture.Model;
        var prompts = fixture.Prompts("batch");
        var options = new GenerationOptions { PenaltyAlpha = alpha, TopK = k, MaxNewTokens = 5 };

        var result = new ContrastiveSearch(model).Generate(prompts, options);

        var greedy = new TextGenerator(model).Generate(prompts, options with { PenaltyAlpha = 0, TopK = 0 });
        Assert.NotEqual(greedy.Sequences, result.Sequences); // the degeneration penalty changed the choice somewhere
        for (var row = 0; row < prompts.Batch; row++)
        {
            var unpadded = prompts.Ids[row].Where((_, t) => prompts.Mask[row][t] != 0).ToArray();
            var expected = BruteForce(model, unpadded, alpha, k, 5);
            Assert.Equal(expected.Skip(unpadded.Length), result.GeneratedOnly[row]);
        }
    }

    [Fact]
    public void AlphaZeroIsGreedyAndAFixedCacheChangesNothing()
    {
        var fixture = new HfGenerateFixture("qwen2");
        var prompts = fixture.Prompts("batch");
        var options = new GenerationOptions { PenaltyAlpha = 0f, TopK = 3, MaxNewTokens = 6 };
        var contrastive = new ContrastiveSearch(fixture.Model).Generate(prompts, options);
        var greedy = new TextGenerator(fixture.Model).Generate(prompts, options with { TopK = 0 });
        Assert.Equal(greedy.Sequences, contrastive.Sequences);

        var withPenalty = options with { PenaltyAlpha = 0.5f };
        var fixedCache = new ContrastiveSearch(fixture.Model).Generate(prompts, withPenalty with { FixedKvCache = true });
        Assert.Equal(new ContrastiveSearch(fixture.Model).Generate(prompts, withPenalty).Sequences, fixedCache.Sequences);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        var fixture = new HfGenerateFixture("qwen2");
        var search = new ContrastiveSearch(fixture.Model);
        var prompt = fixture.Prompts("single");
        Assert.Throws<ArgumentException>(() => search.Generate(prompt, new GenerationOptions { PenaltyAlpha = 0.5f }));
        Assert.Throws<ArgumentException>(() => search.Generate(prompt, new GenerationOptions { PenaltyAlpha = 1.5f, TopK = 4 }));
        Assert.Throws<ArgumentException>(() => search.Generate(prompt, new GenerationOptions { PenaltyAlpha = 0.5f, TopK = 4, DoSample = true }));
    }
}
