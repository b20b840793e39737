using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>
/// DExperts decoding with three cached sessions against the combined logits recomputed from scratch (no cache) at
/// every step, for a left-padded batch; α = 0 leaves beam search on the base model unchanged.
/// </summary>
public sealed class ExpertGuidedStepDecoderTests
{
    private static float[] FullLastLogits(ICausalLm model, int[][] ids, IReadOnlyList<IReadOnlyList<int>> mask)
    {
        int b = ids.Length, t = ids[0].Length;
        using var noGrad = Tensor.NoGrad();
        return model.Forward(IntTensor.FromArray([.. ids.SelectMany(r => r)], b, t), IntTensor.FromArray([.. mask.SelectMany(m => m)], b, t),
            IntTensor.FromArray(CausalDecodingSession.PositionIds(mask, t), b, t)).Logits.Narrow(1, t - 1, 1).Contiguous().ToArray(); // (B, 1, V)
    }

    [Fact]
    public void GuidedLogitsEqualTheCombinationRecomputedWithoutCaches()
    {
        var (baseModel, expert, anti) = (new HfGenerateFixture("llama").Model, new HfGenerateFixture("qwen2").Model, new HfGenerateFixture("gpt2").Model);
        var prompts = new HfGenerateFixture("llama").Prompts("batch");
        const float alpha = 1.5f;
        var options = new GenerationOptions { MaxNewTokens = 6 };
        var result = new TextGenerator(new ExpertGuidedStepDecoder(baseModel, expert, anti, alpha)).Generate(prompts, options);
        var plain = new TextGenerator(baseModel).Generate(prompts, options);
        Assert.NotEqual(plain.Sequences, result.Sequences); // the experts steer the base model

        var vocab = baseModel.VocabSize;
        for (var step = 0; step < result.Scores.Count; step++)
        {
            var width = prompts.Width + step;
            var ids = result.Sequences.Select(r => r[..width]).ToArray();
            var mask = prompts.Mask.Select(m => (IReadOnlyList<int>)[.. m, .. Enumerable.Repeat(1, step)]).ToArray();
            var (z, zPlus, zMinus) = (FullLastLogits(baseModel, ids, mask), FullLastLogits(expert, ids, mask), FullLastLogits(anti, ids, mask));
            for (var i = 0; i < z.Length; i++)
            {
                Assert.Equal(z[i] + (alpha * (zPlus[i] - zMinus[i])), result.Scores[step][i], 1e-4f);
            }

            for (var row = 0; row < ids.Length; row++)
            {
                Assert.Equal(TokenChooser.ArgMax(result.Scores[step].AsSpan(row * vocab, vocab)), result.Sequences[row][width]);
            }
        }
    }

    [Fact]
    public void AlphaZeroBeamSearchEqualsBeamSearchOnTheBaseModel()
    {
        var fixture = new HfGenerateFixture("gpt2");
        var prompts = fixture.Prompts("batch");
        var options = HfGenerateFixture.Options(fixture.Beam);
        var guided = new BeamSearch(new ExpertGuidedStepDecoder(fixture.Model, new HfGenerateFixture("llama").Model, new HfGenerateFixture("bloom").Model, 0f));
        var result = guided.Generate(prompts, options);
        var plain = new BeamSearch(fixture.Model).Generate(prompts, options);
        Assert.Equal(plain.Sequences, result.Sequences);
        Assert.Equal(plain.SequencesScores, result.SequencesScores);
    }

    [Fact]
    public void ExpertsMustShareTheVocabularyAndAlphaMustBeFinite()
    {
        var model = new HfGenerateFixture("gpt2").Model;
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpertGuidedStepDecoder(model, model, model, float.NaN));
        Assert.Throws<ArgumentException>(() => new ExpertGuidedStepDecoder(new CausalStepDecoder(model), new CausalStepDecoder(model), new WiderVocabulary(model.VocabSize + 1), 1f));
    }

    private sealed class WiderVocabulary(int vocab) : IStepDecoder
    {
        public int VocabSize => vocab;

        public int[][] StartRows(PromptBatch prompts) => prompts.Ids;

        public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null) => throw new NotSupportedException();
    }
}
