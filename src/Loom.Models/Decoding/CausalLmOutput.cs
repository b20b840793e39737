using Loom.Core;

namespace Loom.Models.Decoding;

/// <summary>
/// What a decoder-only language model returns (HF CausalLMOutputWithPast): logits (B, T, V), the last hidden state
/// (B, T, C) after the final norm, and on request every hidden state (embedding output, each block but the last, then
/// the final-normed output: L + 1 tensors), every layer's attention probabilities (B, H, T, S) and the loss.
/// </summary>
public sealed record CausalLmOutput(
    Tensor Logits,
    Tensor LastHiddenState,
    IReadOnlyList<Tensor>? HiddenStates,
    IReadOnlyList<Tensor>? Attentions,
    Tensor? Loss);
