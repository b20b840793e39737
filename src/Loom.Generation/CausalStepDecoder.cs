// A decoder-only model as an IStepDecoder: the prompt rows are the start of generation, repeated per beam and
// prefilled in one forward pass by a CausalDecodingSession (left-padded rows, HF position ids).
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>Drives an <see cref="ICausalLm"/> (GPT-2, LLaMA, Qwen2, BLOOM) for the decoding strategies.</summary>
public sealed class CausalStepDecoder : IStepDecoder
{
    private readonly ICausalLm _model;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    public CausalStepDecoder(ICausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>The wrapped model (for strategies that need more than logits, e.g. <see cref="ContrastiveSearch"/>).</summary>
    public ICausalLm Model => _model;

    /// <inheritdoc/>
    public int VocabSize => _model.VocabSize;

    /// <inheritdoc/>
    public int[][] StartRows(PromptBatch prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return [.. prompts.Ids.Select(r => r.ToArray())];
    }

    /// <inheritdoc/>
    public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        var rows = prompts.Batch * copies;
        var session = new CausalDecodingSession(_model, cacheCapacity);
        var logits = session.Prefill(
            [.. Enumerable.Range(0, rows).Select(r => prompts.Ids[r / copies])],
            [.. Enumerable.Range(0, rows).Select(r => prompts.Mask[r / copies])]);
        return (session, logits);
    }
}
