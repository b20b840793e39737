// A stack of Transformer blocks, with the final norm a pre-norm stack needs (post-norm blocks end normalised), collecting
// hidden states before each block and the final output (HF's all_hidden_states order) and the attention maps on request.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>Encoder or decoder: <see cref="TransformerConfig.Layers"/> blocks and, for pre-norm, a final norm.</summary>
public sealed class TransformerStack
{
    private readonly TransformerConfig _config;
    private readonly TransformerBlock[] _blocks;
    private readonly TransformerNorm? _final;

    /// <summary>Binds <c>layers.i</c> and <c>final_norm</c> under <paramref name="weights"/>.</summary>
    public TransformerStack(Weights weights, TransformerConfig config, bool crossAttention)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock(weights.Scope("layers").Scope(i), config, crossAttention))];
        _final = config.PreNorm ? new TransformerNorm(weights.Scope("final_norm"), config.Norm, config.Channels) : null;
    }

    /// <summary>Number of blocks L.</summary>
    public int LayerCount => _blocks.Length;

    /// <summary>
    /// x (B, T, C) at positions 0 … T − 1 → (B, T, C). <paramref name="selfMask"/> is an additive mask broadcastable to
    /// (B, 1, T, T) (padding, prefix); <paramref name="causal"/> also hides future tokens; <paramref name="memory"/>
    /// (B, S, C) with <paramref name="memoryMask"/> (B, 1, 1, S) feeds the cross-attention.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? selfMask, bool causal, Tensor? memory = null, Tensor? memoryMask = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (b, t) = (x.Size(0), x.Size(1));
        var mask = causal ? AttentionMasks.Causal(t, t) : Tensor.Zeros(1, 1, 1, t); // (1, 1, T or 1, T)
        if (selfMask is not null)
        {
            mask = mask + selfMask; // (B, 1, T, T)
        }

        return Run(x, TransformerStep.Create(_config, mask, TransformerStep.Positions(b, t), memory: memory, memoryMask: memoryMask), outputHiddenStates: false).Last;
    }

    /// <summary>x (B, T, C), already embedded, through every block and the final norm under <paramref name="step"/>.</summary>
    public TransformerStackOutput Run(Tensor x, TransformerStep step, bool outputHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(step);
        if (step.SelfCache is { } cache && cache.Layers != _blocks.Length)
        {
            throw new ArgumentException($"Transformer: the cache has {cache.Layers} layers; the stack has {_blocks.Length}.", nameof(step));
        }

        var hidden = outputHiddenStates ? new List<Tensor>(_blocks.Length + 1) : null;
        var selfAttentions = step.OutputAttentions ? new List<Tensor>(_blocks.Length) : null;
        var crossAttentions = step.OutputAttentions && step.Memory is not null ? new List<Tensor>(_blocks.Length) : null;
        for (var layer = 0; layer < _blocks.Length; layer++)
        {
            hidden?.Add(x);
            x = _blocks[layer].Forward(x, step, layer, out var self, out var cross); // (B, T, C)
            selfAttentions?.Add(self!);
            crossAttentions?.Add(cross!);
        }

        var last = _final?.Forward(x) ?? x; // (B, T, C)
        hidden?.Add(last);
        return new TransformerStackOutput(last, hidden, selfAttentions, crossAttentions);
    }
}
