using Loom.Core;

namespace Loom.Models.Transformer;

/// <summary>
/// What a <see cref="TransformerStack"/> returns: the last hidden state (B, T, C) after the final norm and, on request,
/// the L + 1 hidden states (each block's input, then the last), self-attention (B, H, T, S) and cross-attention
/// (B, H, T, S_enc) probabilities per block.
/// </summary>
public sealed record TransformerStackOutput(
    Tensor Last,
    IReadOnlyList<Tensor>? HiddenStates,
    IReadOnlyList<Tensor>? SelfAttentions,
    IReadOnlyList<Tensor>? CrossAttentions);
