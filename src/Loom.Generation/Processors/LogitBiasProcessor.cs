// A per-token additive bias (OpenAI logit_bias; the single-token case of HF SequenceBiasLogitsProcessor).
namespace Loom.Generation.Processors;

/// <summary>Adds a fixed bias to chosen tokens.</summary>
public sealed class LogitBiasProcessor(IReadOnlyDictionary<int, float> bias) : ILogitsProcessor
{
    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        foreach (var (token, value) in bias)
        {
            scores[token] += value;
        }
    }
}
