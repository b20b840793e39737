// HF ForcedBOSTokenLogitsProcessor (forced_bos_token_id: the first generated token when the row holds one token) and
// ForcedEOSTokenLogitsProcessor (forced_eos_token_id: the last token before max_length): every other score is −∞ and
// the forced one is 0.
namespace Loom.Generation.Processors;

/// <summary>Forces <paramref name="tokenId"/> when the row has exactly <paramref name="atLength"/> tokens.</summary>
public sealed class ForcedTokenProcessor(int tokenId, int atLength) : ILogitsProcessor
{
    /// <summary>HF forced_bos_token_id for an encoder-decoder model (decoder row = start token only).</summary>
    public static ForcedTokenProcessor Bos(int tokenId) => new(tokenId, 1);

    /// <summary>HF forced_eos_token_id: forced at position <paramref name="maxLength"/> − 1.</summary>
    public static ForcedTokenProcessor Eos(int tokenId, int maxLength) => new(tokenId, maxLength - 1);

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        if (tokens.Length == atLength)
        {
            scores.Fill(float.NegativeInfinity);
            scores[tokenId] = 0f;
        }
    }
}
