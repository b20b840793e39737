// A decoder-only model as an IStepDecoder: the prompt rows are the start of generation, repeated per beam and
// prefilled in one forward pass by a DecodingSession (left-padded rows, HF position ids).
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>Drives an <see cref="ICausalLm"/> (GPT-2, LLaMA, Qwen2, BLOOM) for the decoding strategies.</summary>
public sealed class CausalStepDecoder : IStepDecoder
{
    private readonly ICausalLm _model;
    private readonly int? _cacheCapacity;

    /// <summary>
    /// Wraps <paramref name="model"/>; with <paramref name="cacheCapacity"/> every session preallocates a fixed-size KV
    /// cache of that many positions (see <see cref="DecodingSession(ICausalLm, int?)"/>).
    /// </summary>
    public CausalStepDecoder(ICausalLm model, int? cacheCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (cacheCapacity is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheCapacity), cacheCapacity, "KV cache capacity: expected a positive number of positions.");
        }

        (_model, _cacheCapacity) = (model, cacheCapacity);
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
    public (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(copies);
        var rows = prompts.Batch * copies;
        var session = new DecodingSession(_model, _cacheCapacity);
        var logits = session.Prefill(
            [.. Enumerable.Range(0, rows).Select(r => prompts.Ids[r / copies])],
            [.. Enumerable.Range(0, rows).Select(r => prompts.Mask[r / copies])]);
        return (session, logits);
    }
}
