// The decoding strategies that settle one token per row per step (greedy, sampling, contrastive search), so that the
// text can be streamed while it is generated (TextStreamer). Beam search is not one: a beam's tokens can change until
// the search ends (HF generate() refuses a streamer with beams for the same reason).
namespace Loom.Generation;

/// <summary>A strategy whose output grows by one final token per row per step.</summary>
public interface IStreamableStrategy
{
    /// <summary>Decodes step by step; each element is one appended column, final when it is yielded.</summary>
    IEnumerable<GenerationStep> Steps(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default);
}
