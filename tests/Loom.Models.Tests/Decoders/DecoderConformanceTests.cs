using Loom.Models.Conformance;

namespace Loom.Models.Tests.Decoders;

/// <summary>
/// Every decoder-only fixture of shared/fixtures/hf (HF transformers 4.44.2 outputs, copied to tests/testdata/hf) through
/// the generic conformance runner: forward logits, last hidden state, all hidden states, attention probabilities, loss.
/// </summary>
public sealed class DecoderConformanceTests
{
    public static TheoryData<string> Fixtures => ["gpt2", "llama", "llama_gqa", "qwen2", "bloom"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EveryOutputMatchesHuggingFace(string fixture)
    {
        var report = ConformanceRunner.Run(FixturePaths.Hf(fixture));

        var lines = string.Join("\n", report.Comparisons.Select(c => $"{c.Case}/{c.Output}: abs {c.MaxAbsoluteError:g3} rel {c.MaxRelativeError:g3} {c.Note}"));
        Assert.True(report.Passed, report.Summary() + "\n" + lines);
        Assert.StartsWith("PASS", report.Summary(), StringComparison.Ordinal);
        string[] required = ["forward/logits", "forward/last_hidden_state", "forward/hidden_states", "forward/attentions", "loss/loss", "loss/logits"];
        Assert.All(required, name => Assert.Contains(report.Comparisons, c => $"{c.Case}/{c.Output}" == name && !c.Skipped && c.Compared > 0));
        Assert.Equal(1e-4, report.Tolerance.Absolute);
    }
}
