// Presence and frequency penalties as the OpenAI completions API defines them: for every token generated so far,
// score −= count · frequency_penalty + (count > 0) · presence_penalty. Only generated tokens count, not the prompt.
namespace Loom.Generation.Processors;

/// <summary>OpenAI-style presence / frequency penalties over the generated tokens.</summary>
public sealed class PresenceFrequencyPenaltyProcessor(float presencePenalty, float frequencyPenalty) : ILogitsProcessor
{
    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        var counts = new Dictionary<int, int>();
        foreach (var token in tokens[promptLength..])
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        foreach (var (token, count) in counts)
        {
            scores[token] -= (count * frequencyPenalty) + presencePenalty;
        }
    }
}
