// A stack of Transformer blocks, with the final norm a pre-norm stack needs (post-norm blocks end normalised).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>Encoder or decoder: <see cref="TransformerConfig.Layers"/> blocks and, for pre-norm, a final norm.</summary>
public sealed class TransformerStack
{
    private readonly TransformerBlock[] _blocks;
    private readonly TransformerNorm? _final;

    /// <summary>Binds <c>layers.i</c> and <c>final_norm</c> under <paramref name="weights"/>.</summary>
    public TransformerStack(Weights weights, TransformerConfig config, bool crossAttention)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock(weights.Scope("layers").Scope(i), config, crossAttention))];
        _final = config.PreNorm ? new TransformerNorm(weights.Scope("final_norm"), config.Norm, config.Channels) : null;
    }

    /// <summary>x (B, T, C) → (B, T, C); masks as <see cref="TransformerBlock.Forward"/>.</summary>
    public Tensor Forward(Tensor x, Tensor? selfMask, bool causal, Tensor? memory = null, Tensor? memoryMask = null)
    {
        foreach (var block in _blocks)
        {
            x = block.Forward(x, selfMask, causal, memory, memoryMask); // (B, T, C)
        }

        return _final?.Forward(x) ?? x;
    }
}
