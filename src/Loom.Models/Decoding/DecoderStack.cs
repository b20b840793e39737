// The body shared by every decoder-only model (HF GPT2Model / LlamaModel / BloomModel forward loops): embedded input
// through the blocks, collecting hidden states before each block (HF's all_hidden_states order), the final norm, the
// output head and the shifted next-token loss.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Decoding;

/// <summary>Runs a stack of <see cref="IDecoderBlock"/>s and the head, producing a <see cref="CausalLmOutput"/>.</summary>
public static class DecoderStack
{
    /// <summary>
    /// x (B, T, C), already embedded → blocks → <paramref name="finalNorm"/> → <paramref name="head"/> (B, T, V).
    /// </summary>
    public static CausalLmOutput Run(Tensor x, IReadOnlyList<IDecoderBlock> blocks, Func<Tensor, Tensor> finalNorm,
        Func<Tensor, Tensor> head, DecoderStep step, IntTensor? labels, bool outputHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(finalNorm);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(step);
        if (step.Cache is not null && step.Cache.Layers != blocks.Count)
        {
            throw new ArgumentException($"DecoderCache has {step.Cache.Layers} layers; the model has {blocks.Count}.", nameof(step));
        }

        var hidden = outputHiddenStates ? new List<Tensor>(blocks.Count + 1) : null;
        var attentions = step.OutputAttentions ? new List<Tensor>(blocks.Count) : null;
        foreach (var block in blocks)
        {
            hidden?.Add(x);
            x = block.Forward(x, step, out var probabilities); // (B, T, C)
            if (attentions is not null)
            {
                attentions.Add(probabilities ?? throw new InvalidOperationException("A decoder block did not return the attention probabilities it was asked for."));
            }
        }

        var last = finalNorm(x); // (B, T, C)
        hidden?.Add(last);
        var logits = head(last); // (B, T, V)
        Tensor? loss = null;
        if (labels is not null)
        {
            loss = Losses.CausalLmCrossEntropy(logits, labels);
        }

        return new CausalLmOutput(logits, last, hidden, attentions, loss);
    }
}
