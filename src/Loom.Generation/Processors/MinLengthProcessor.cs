// HF MinLengthLogitsProcessor and MinNewTokensLengthLogitsProcessor: end-of-sequence tokens get −∞ while the row is
// shorter than min_length (prompt included) or has fewer than min_new_tokens generated tokens.
namespace Loom.Generation.Processors;

/// <summary>HF <c>min_length</c> / <c>min_new_tokens</c>.</summary>
public sealed class MinLengthProcessor(IReadOnlyCollection<int> eosTokenIds, int minLength, int minNewTokens) : ILogitsProcessor
{
    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        if (tokens.Length < minLength || tokens.Length - promptLength < minNewTokens)
        {
            foreach (var eos in eosTokenIds)
            {
                scores[eos] = float.NegativeInfinity;
            }
        }
    }
}
