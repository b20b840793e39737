using Loom.Nn;

namespace Loom.Generation.Tests;

/// <summary>
/// A preallocated fixed-size KV cache (<see cref="GenerationOptions.FixedKvCache"/>, sized at the start of a call)
/// decodes exactly like the growing one (greedy, beam search whose reorders rewrite rows in place, encoder-decoder
/// models, guided decoding), and a session run past its capacity fails with a typed error.
/// </summary>
public sealed class FixedCacheTests
{
    [Fact]
    public void GreedyWithAFixedCacheEqualsGreedyWithAGrowingCache()
    {
        var fixture = new HfGenerateFixture("llama");
        var prompts = fixture.Prompts("batch");
        var options = HfGenerateFixture.Options(fixture.Greedy) with { EosTokenIds = [], MaxNewTokens = 8 };
        var growing = new TextGenerator(fixture.Model).Generate(prompts, options);
        var fixedSize = new TextGenerator(fixture.Model).Generate(prompts, options with { FixedKvCache = true });
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
        var fixedSize = new BeamSearch(fixture.Model).Generate(prompts, options with { FixedKvCache = true });
        Assert.Equal(growing.Sequences, fixedSize.Sequences);
        Assert.Equal(growing.SequencesScores, fixedSize.SequencesScores);
        Assert.Equal(growing.BeamIndices, fixedSize.BeamIndices);
    }

    [Theory]
    [InlineData("bart")]
    [InlineData("t5")]
    public void EncoderDecoderBeamSearchWithAFixedCacheEqualsTheGrowingCache(string model)
    {
        var fixture = new HfGenerateFixture(model);
        var (decoder, options) = fixture.Seq2SeqSettings(fixture.Beam);
        var prompts = fixture.Prompts("batch");
        var growing = new BeamSearch(decoder).Generate(prompts, options);
        var fixedSize = new BeamSearch(decoder).Generate(prompts, options with { FixedKvCache = true });
        Assert.Equal(growing.Sequences, fixedSize.Sequences);
        Assert.Equal(growing.SequencesScores, fixedSize.SequencesScores);
    }

    [Fact]
    public void GuidedSamplingWithAFixedCacheEqualsTheGrowingCache()
    {
        var fixture = new HfGenerateFixture("llama");
        var decoder = new ExpertGuidedStepDecoder(fixture.Model, new HfGenerateFixture("qwen2").Model, new HfGenerateFixture("gpt2").Model, 0.5f);
        var prompts = fixture.Prompts("batch");
        var options = new GenerationOptions { MaxNewTokens = 6, DoSample = true, TopK = 20, Seed = 3 };
        var growing = new TextGenerator(decoder).Generate(prompts, options);
        Assert.Equal(growing.Sequences, new TextGenerator(decoder).Generate(prompts, options with { FixedKvCache = true }).Sequences);
    }

    [Fact]
    public void ASessionRunPastItsCapacityFailsWithATypedError()
    {
        var fixture = new HfGenerateFixture("gpt2");
        var prompts = fixture.Prompts("single");
        var (session, _) = new CausalStepDecoder(fixture.Model).Begin(prompts, 1, cacheCapacity: prompts.Width + 2);
        session.Step([1]);
        session.Step([2]);
        var error = Assert.Throws<KvCacheOverflowException>(() => session.Step([3]));
        Assert.Equal($"KvCache: capacity {prompts.Width + 2} positions; {prompts.Width + 2} cached and 1 more do not fit.", error.Message);
    }

    [Fact]
    public void AnEncoderDecoderSessionRunPastItsCapacityFailsWithATypedError()
    {
        var fixture = new HfGenerateFixture("t5");
        var (session, _) = new Seq2SeqStepDecoder(fixture.Seq2SeqModel).Begin(fixture.Prompts("single"), 1, cacheCapacity: 2);
        session.Step([5]);
        var error = Assert.Throws<KvCacheOverflowException>(() => session.Step([6]));
        Assert.Equal("KvCache: capacity 2 positions; 2 cached and 1 more do not fit.", error.Message);
    }
}
