using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation.Tests;

/// <summary>
/// Beam sampling (do_sample with num_beams &gt; 1) checked against full-recompute log-probabilities: every generated
/// token survives the warpers of its beam, and every returned score is the sum of the warped log-probabilities of its
/// tokens over the generated length (HF accumulates the processed, warped scores).
/// </summary>
public sealed class BeamSamplingTests
{
    private const int TopK = 4;
    private const float Temperature = 0.7f;

    private static GenerationOptions Options(ulong seed) => new()
    {
        NumBeams = 3,
        NumReturnSequences = 3,
        DoSample = true,
        TopK = TopK,
        Temperature = Temperature,
        MaxNewTokens = 4,
        Seed = seed,
    };

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void SampledBeamsUseOnlyWarpedTokensAndCarryTheirWarpedScores(ulong seed)
    {
        var fixture = new HfGenerateFixture("qwen2");
        var model = fixture.Model;
        var prompt = fixture.Prompts("single");
        var result = new BeamSearch(model).Generate(prompt, Options(seed));

        Assert.Equal(3, result.Sequences.Length);
        for (var k = 0; k < 3; k++)
        {
            var sequence = result.Sequences[k];
            var sum = 0.0;
            for (var t = prompt.Width; t < sequence.Length; t++)
            {
                float[] logProbs;
                using (Tensor.NoGrad())
                {
                    var logits = model.Forward(IntTensor.FromArray(sequence[..t], 1, t)).Logits.Narrow(1, t - 1, 1).Contiguous().ToArray();
                    logProbs = new float[logits.Length];
                    Softmax.Log(logits, logProbs);
                }

                var rank = logProbs.Count(p => p > logProbs[sequence[t]]);
                Assert.True(rank < TopK, $"sequence {k}, position {t}: token {sequence[t]} ranks {rank}, outside the top {TopK}.");
                sum += logProbs[sequence[t]] / Temperature;
            }

            Assert.Equal(sum / (sequence.Length - prompt.Width), result.SequencesScores[k], 1e-4);
        }
    }

    [Fact]
    public void TheSeedDecidesTheSamples()
    {
        var fixture = new HfGenerateFixture("qwen2");
        var search = new BeamSearch(fixture.Model);
        var prompt = fixture.Prompts("batch");
        var first = search.Generate(prompt, Options(7));
        Assert.Equal(first.Sequences, search.Generate(prompt, Options(7)).Sequences);
        Assert.Contains(Enumerable.Range(8, 4), s => !search.Generate(prompt, Options((ulong)s)).Sequences.SequenceEqual(first.Sequences, new RowComparer()));
    }

    [Fact]
    public void TooFewCandidatesForTheBeamsIsATypedError()
    {
        // top_k 1 is raised to 2 tokens per beam (min_tokens_to_keep); at the first step only beam 0 is live, so 2 < 3 beams.
        var fixture = new HfGenerateFixture("qwen2");
        var options = Options(1) with { TopK = 1 };
        var error = Assert.Throws<InvalidOperationException>(() => new BeamSearch(fixture.Model).Generate(fixture.Prompts("single"), options));
        Assert.Contains("only 2 non-EOS candidates", error.Message, StringComparison.Ordinal);
    }

    private sealed class RowComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(int[] obj) => obj.Length;
    }
}
