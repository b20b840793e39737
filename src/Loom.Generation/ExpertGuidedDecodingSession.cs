// The three sessions of DExperts decoding advanced together: every step feeds the same tokens to the base model, the
// expert and the anti-expert (each extending its own KV cache) and combines their logits; a reorder moves the rows of
// all three caches.
namespace Loom.Generation;

/// <summary>Base, expert and anti-expert sessions over the same rows.</summary>
internal sealed class ExpertGuidedDecodingSession(IDecodingSession baseSession, IDecodingSession expert, IDecodingSession antiExpert, float alpha)
    : IDecodingSession
{
    /// <inheritdoc/>
    public float[] Step(IReadOnlyList<int> tokens) => Combine(baseSession.Step(tokens), expert.Step(tokens), antiExpert.Step(tokens));

    /// <inheritdoc/>
    public void Reorder(IReadOnlyList<int> rows)
    {
        baseSession.Reorder(rows);
        expert.Reorder(rows);
        antiExpert.Reorder(rows);
    }

    /// <summary>z + α · (z⁺ − z⁻), element by element (rows·V).</summary>
    public float[] Combine(float[] logits, float[] expertLogits, float[] antiLogits)
    {
        var result = new float[logits.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = logits[i] + (alpha * (expertLogits[i] - antiLogits[i]));
        }

        return result;
    }
}
