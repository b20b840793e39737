using Loom.Generation.Llama2c;

namespace Loom.Generation.Tests;

/// <summary>Seeded sampling is reproducible; stop strings, EOS lists and max_time end rows; min_new_tokens holds EOS back.</summary>
public sealed class SamplingAndStoppingTests
{
    private static readonly Lazy<(Loom.Models.Llama.LlamaForCausalLm Model, Loom.Tokenizers.Formats.Llama2CTokenizer Tokenizer, int Length)> Stories = new(DefaultModel.Load);

    [Fact]
    public void SameSeedSameTokensDifferentSeedDifferentTokens()
    {
        var (model, tokenizer, _) = Stories.Value;
        var prompt = PromptBatch.LeftPad([tokenizer.Encode("Once upon a time")], 0);
        var options = new GenerationOptions { MaxNewTokens = 30, DoSample = true, TopK = 50, TopP = 0.95f, MinP = 0.01f, Temperature = 0.9f, Seed = 11 };
        var generator = new TextGenerator(model);

        var a = generator.Generate(prompt, options).GeneratedOnly[0];
        var b = generator.Generate(prompt, options).GeneratedOnly[0];
        var c = generator.Generate(prompt, options with { Seed = 12 }).GeneratedOnly[0];

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void AnElapsedMaxTimeStopsAfterTheFirstToken()
    {
        // The clock is read after each step, so a zero limit ends every strategy after exactly one new token.
        var (model, tokenizer, _) = DefaultModel.Load();
        var prompt = PromptBatch.LeftPad([tokenizer.Encode("Once upon a time")], 0);
        var options = new GenerationOptions { MaxNewTokens = 20, MaxTime = TimeSpan.Zero };
        Assert.Single(new TextGenerator(model).Generate(prompt, options).GeneratedOnly[0]);
        Assert.Single(new TextGenerator(model).Generate(prompt, options with { DoSample = true, Seed = 1 }).GeneratedOnly[0]);
        Assert.Single(new ContrastiveSearch(model).Generate(prompt, options with { PenaltyAlpha = 0.6f, TopK = 4 }).GeneratedOnly[0]);
        // Beam search finalises the open beams; HF's finalize closes a row shorter than max_length with the pad / EOS id (0 here).
        Assert.All(new BeamSearch(model).Generate(prompt, options with { NumBeams = 3, NumReturnSequences = 3 }).GeneratedOnly, beam => Assert.Equal(0, beam[1..].Single()));
        Assert.Equal(20, new TextGenerator(model).Generate(prompt, options with { MaxTime = null }).GeneratedOnly[0].Length);
    }

    [Fact]
    public void StopStringFinishesTheRowOnTheTokenThatCompletesIt()
    {
        var (model, tokenizer, _) = Stories.Value;
        var prompt = PromptBatch.LeftPad([tokenizer.Encode("Once upon a time")], 0);
        var options = new GenerationOptions { MaxNewTokens = 60, StopStrings = ["Lily"], Decode = tokenizer.Decode, PadTokenId = 0 };

        var result = new TextGenerator(model).Generate(prompt, options);
        var generated = result.GeneratedOnly[0];
        var cut = Enumerable.Range(1, generated.Length).First(n => tokenizer.Decode(generated[..n]).Contains("Lily", StringComparison.Ordinal));

        // The only row finishes on the token that completes "Lily", and generation ends there.
        Assert.Equal(cut, generated.Length);
        Assert.True(cut < 60);
    }

    [Fact]
    public void MinNewTokensDelaysAnyOfSeveralEosIds()
    {
        var (model, tokenizer, _) = Stories.Value;
        var prompt = PromptBatch.LeftPad([tokenizer.Encode("The end")], 0);
        var greedy = new TextGenerator(model).Generate(prompt, new GenerationOptions { MaxNewTokens = 3 }).GeneratedOnly[0];
        var eos = new[] { greedy[0], greedy[1] };

        var stopped = new TextGenerator(model).Generate(prompt, new GenerationOptions { MaxNewTokens = 3, EosTokenIds = eos }).GeneratedOnly[0];
        var delayed = new TextGenerator(model).Generate(prompt, new GenerationOptions { MaxNewTokens = 3, EosTokenIds = eos, MinNewTokens = 3 }).GeneratedOnly[0];

        Assert.Equal([greedy[0]], stopped);
        Assert.Equal(3, delayed.Length);
        Assert.DoesNotContain(delayed, eos.Contains);
    }
}
