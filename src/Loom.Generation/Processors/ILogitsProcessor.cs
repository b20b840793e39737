// The logits-processor contract of Hugging Face transformers (generation/logits_process.py, LogitsProcessor and
// LogitsWarper): a function of the tokens so far that rewrites one row of next-token scores in place.
namespace Loom.Generation.Processors;

/// <summary>Rewrites the next-token scores of one sequence.</summary>
public interface ILogitsProcessor
{
    /// <summary>
    /// <paramref name="tokens"/> is the whole row so far (prompt, including left padding, then generated tokens);
    /// <paramref name="promptLength"/> is the width of the (padded) prompt; <paramref name="scores"/> (V) is changed in place.
    /// </summary>
    void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores);
}
