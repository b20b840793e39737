using Loom.Core;
using Loom.Generation.Llama2c;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>KV-cache decoding against full recomputation, streaming against the non-streaming text, cancellation.</summary>
public sealed class StreamingAndCacheTests
{
    [Fact]
    public void CachedDecodingEqualsFullRecomputationAtEveryStep()
    {
        var fixture = new HfGenerateFixture("llama");
        var prompts = fixture.Prompts("batch");
        var options = HfGenerateFixture.Options(fixture.Greedy) with { EosTokenIds = [], MaxNewTokens = 6 };
        var result = new TextGenerator(fixture.Model).Generate(prompts, options);
        var vocab = fixture.Model.VocabSize;
        for (var step = 0; step < result.Scores.Count; step++)
        {
            var width = prompts.Width + step;
            var ids = result.Sequences.Select(r => r[..width]).ToArray();
            var mask = prompts.Mask.Select(m => (IReadOnlyList<int>)[.. m, .. Enumerable.Repeat(1, step)]).ToArray();
            using var noGrad = Tensor.NoGrad();
            var logits = fixture.Model.Forward(IntTensor.FromArray([.. ids.SelectMany(r => r)], ids.Length, width),
                IntTensor.FromArray([.. mask.SelectMany(m => m)], ids.Length, width),
                IntTensor.FromArray(CausalDecodingSession.PositionIds(mask, width), ids.Length, width)).Logits; // (B, T, V)
            var last = logits.Narrow(1, width - 1, 1).Contiguous().ToArray();
            for (var row = 0; row < ids.Length; row++)
            {
                for (var v = 0; v < vocab; v++)
                {
                    Assert.Equal(last[(row * vocab) + v], result.Scores[step][(row * vocab) + v], 1e-4f);
                }
            }
        }
    }

    [Fact]
    public void LeftPaddedPositionIdsCountFromTheFirstToken()
    {
        Assert.Equal([1, 1, 0, 1, 0, 1, 2, 3], CausalDecodingSession.PositionIds([[0, 0, 1, 1], [1, 1, 1, 1]], 4));
        Assert.Equal([2, 4], CausalDecodingSession.PositionIds([[0, 1, 1, 1], [1, 1, 1, 1, 1]], 1));
    }

    [Fact]
    public async Task StreamedDeltasConcatenateToTheGeneratedText()
    {
        var (model, tokenizer, _) = DefaultModel.Load();
        var prompt = new PromptBatch([tokenizer.Encode("Once upon a time")], [[.. Enumerable.Repeat(1, tokenizer.Encode("Once upon a time").Length)]]);
        var options = new GenerationOptions { MaxNewTokens = 40, DoSample = true, Seed = 5, EosTokenIds = [1] };
        string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids);
        var whole = new TextGenerator(model).Generate(prompt, options);
        var expected = Decode([.. whole.GeneratedOnly[0].TakeWhile(t => t != 1)]);

        var streamed = new System.Text.StringBuilder();
        var deltas = 0;
        await foreach (var delta in TextStreamer.StreamAsync(new TextGenerator(model), prompt, options, Decode))
        {
            streamed.Append(delta.Text);
            deltas++;
        }

        Assert.Equal(expected, streamed.ToString());
        Assert.True(deltas > 1);
    }

    [Fact]
    public async Task StreamedContrastiveSearchConcatenatesToItsGeneratedText()
    {
        var (model, tokenizer, _) = DefaultModel.Load();
        var prompt = PromptBatch.LeftPad([tokenizer.Encode("Once upon a time"), tokenizer.Encode("Tom")], 0);
        var options = new GenerationOptions { MaxNewTokens = 30, PenaltyAlpha = 0.6f, TopK = 4, EosTokenIds = [1] };
        var whole = new ContrastiveSearch(model).Generate(prompt, options);
        var expected = whole.GeneratedOnly.Select(r => tokenizer.Decode([.. r.TakeWhile(t => t != 1)])).ToArray();

        var streamed = new[] { new System.Text.StringBuilder(), new System.Text.StringBuilder() };
        await foreach (var delta in TextStreamer.StreamAsync(new ContrastiveSearch(model), prompt, options, tokenizer.Decode))
        {
            streamed[delta.Row].Append(delta.Text);
        }

        Assert.Equal(expected, streamed.Select(s => s.ToString()).ToArray());
        Assert.All(expected, text => Assert.NotEmpty(text));
    }

    [Fact]
    public void HeldBackTextNeverEndsInsideACharacter()
    {
        var printed = 0;
        Assert.Equal("ab", TextStreamer.Settled("ab\uFFFD", ref printed, final: false));
        Assert.Equal("", TextStreamer.Settled("ab\uD83D", ref printed, final: false));
        Assert.Equal("\uD83D\uDE00", TextStreamer.Settled("ab\uD83D\uDE00", ref printed, final: false));
    }

    [Fact]
    public async Task CancellationStopsStreaming()
    {
        var (model, tokenizer, _) = DefaultModel.Load();
        var prompt = new PromptBatch([tokenizer.Encode("Lily")], [[.. Enumerable.Repeat(1, tokenizer.Encode("Lily").Length)]]);
        using var cancel = new CancellationTokenSource();
        var options = new GenerationOptions { MaxNewTokens = 200, EosTokenIds = [] };
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var delta in TextStreamer.StreamAsync(new TextGenerator(model), prompt, options, tokenizer.Decode, cancel.Token))
            {
                received++;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, received);
    }
}
