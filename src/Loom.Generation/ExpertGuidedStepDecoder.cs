// Guided decoding with an expert and an anti-expert (Liu et al. 2021, "DExperts: Decoding-Time Controlled Text
// Generation with Experts and (Anti-)Experts", eq. 1): the next-token logits of a base model are shifted by
// α · (z⁺ − z⁻), z⁺ the logits of a model of the wanted attribute and z⁻ of the unwanted one. The three models run side by
// side over the same rows, each with its own KV cache (its own session), and every decoding strategy (greedy, sampling,
// beam search and its variants) sees only the combined logits. The processors and warpers then apply to the
// combined logits, as in the paper's sampling.
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>An <see cref="IStepDecoder"/> whose logits are base + α · (expert − anti-expert).</summary>
public sealed class ExpertGuidedStepDecoder : IStepDecoder
{
    private readonly IStepDecoder _base;
    private readonly IStepDecoder _expert;
    private readonly IStepDecoder _antiExpert;

    /// <summary>Three decoder-only models sharing one vocabulary; <paramref name="alpha"/> weighs the steering.</summary>
    public ExpertGuidedStepDecoder(ICausalLm baseModel, ICausalLm expert, ICausalLm antiExpert, float alpha)
        : this(new CausalStepDecoder(baseModel), new CausalStepDecoder(expert), new CausalStepDecoder(antiExpert), alpha)
    {
    }

    /// <summary>Any three step decoders sharing one vocabulary and start rows; <paramref name="alpha"/> is finite.</summary>
    public ExpertGuidedStepDecoder(IStepDecoder baseModel, IStepDecoder expert, IStepDecoder antiExpert, float alpha)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(expert);
        ArgumentNullException.ThrowIfNull(antiExpert);
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "DExperts: expected a finite α.");
        }

        if (expert.VocabSize != baseModel.VocabSize || antiExpert.VocabSize != baseModel.VocabSize)
        {
            throw new ArgumentException($"DExperts: the base model, expert and anti-expert must share one vocabulary; found V = {baseModel.VocabSize}, {expert.VocabSize}, {antiExpert.VocabSize}.", nameof(expert));
        }

        (_base, _expert, _antiExpert, Alpha) = (baseModel, expert, antiExpert, alpha);
    }

    /// <summary>The steering weight α.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public int VocabSize => _base.VocabSize;

    /// <inheritdoc/>
    public int[][] StartRows(PromptBatch prompts)
    {
        var rows = _base.StartRows(prompts);
        foreach (var other in new[] { _expert, _antiExpert })
        {
            var theirs = other.StartRows(prompts);
            if (theirs.Length != rows.Length || theirs.Zip(rows).Any(p => !p.First.SequenceEqual(p.Second)))
            {
                throw new ArgumentException("DExperts: the expert models start their rows differently from the base model (e.g. another decoder start token).", nameof(prompts));
            }
        }

        return rows;
    }

    /// <inheritdoc/>
    public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null)
    {
        var (baseSession, baseLogits) = _base.Begin(prompts, copies, cacheCapacity);
        var (expertSession, expertLogits) = _expert.Begin(prompts, copies, cacheCapacity);
        var (antiSession, antiLogits) = _antiExpert.Begin(prompts, copies, cacheCapacity);
        var session = new ExpertGuidedDecodingSession(baseSession, expertSession, antiSession, Alpha);
        return (session, session.Combine(baseLogits, expertLogits, antiLogits));
    }
}
