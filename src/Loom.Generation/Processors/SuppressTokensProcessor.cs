// HF SuppressTokensLogitsProcessor: the listed tokens always get −∞.
namespace Loom.Generation.Processors;

/// <summary>HF <c>suppress_tokens</c>.</summary>
public sealed class SuppressTokensProcessor(IReadOnlyCollection<int> tokenIds) : ILogitsProcessor
{
    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        foreach (var token in tokenIds)
        {
            scores[token] = float.NegativeInfinity;
        }
    }
}
