using Loom.Nn;

namespace Loom.Generation.Tests;

/// <summary>
/// A preallocated fixed-size KV cache decodes exactly like the growing one (greedy and beam search, whose reorders
/// rewrite rows in place), and a run longer than the capacity fails with a typed error.
/// </summary>
public sealed class FixedCacheTests
{
    [Fact]
    public void GreedyWithAFixedCacheEqualsGreedyWithAGrowingCache()
    {
        var fixture = new HfGenerateFixture("llama");
        var prompts = fixture.Prompts("batch");
        var options = HfGenerateFixture.Options(fixture.Greedy) with { EosTokenIds = [], MaxNewTokens = 8 };
        var growing = new CausalGenerator(fixture.Model).Generate(prompts, options);
        var fixedSize = new CausalGenerator(new CausalStepDecoder(fixture.Model, cacheCapacity: prompts.Width + 8)).Generate(prompts, options);
        Assert.Equal(growing.Sequences, fixedSize.Sequences);
        for (var step = 0; step < growing.Scores.Count; step++)
        {
            Assert.Equal(growing.Scores[step], fixedSize.Scores[step]);
        }
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama_gqa")]
    public void BeamSearchWithAFixedCacheEqualsBeamSearchWithAGrowingCache(string model)
    {
        var fixture = new HfGenerateFixture(model);
        var prompts = fixture.Prompts("batch");
        var options = HfGenerateFixture.Options(fixture.Beam);
        var growing = new BeamSearch(fixture.Model).Generate(prompts, options);
        var fixedSize = new BeamSearch(new CausalStepDecoder(fixture.Model, cacheCapacity: prompts.Width + options.MaxNewTokens)).Generate(prompts, options);
        Assert.Equal(growing.Sequences, fixedSize.Sequences);
        Assert.Equal(growing.SequencesScores, fixedSize.SequencesScores);
        Assert.Equal(growing.BeamIndices, fixedSize.BeamIndices);
    }

    [Fact]
    public void ARunLongerThanTheCapacityFailsWithATypedError()
    {
        var fixture = new HfGenerateFixture("gpt2");
        var prompts = fixture.Prompts("single");
        var options = HfGenerateFixture.Options(fixture.Greedy) with { EosTokenIds = [], MaxNewTokens = 5 };
        var generator = new CausalGenerator(new CausalStepDecoder(fixture.Model, cacheCapacity: prompts.Width + 2));
        var error = Assert.Throws<KvCacheOverflowException>(() => generator.Generate(prompts, options));
        Assert.Contains($"capacity {prompts.Width + 2}", error.Message, StringComparison.Ordinal);
    }
}
