using Loom.Core;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// One decoder call of an encoder-decoder LM: logits (B, T, V), the last decoder hidden state (B, T, C) (before any
/// output rescaling), and on request the decoder hidden states (L + 1), self-attention (B, H, T, S) and
/// cross-attention (B, H, T, S_enc) probabilities per layer.
/// </summary>
public sealed record Seq2SeqDecoderOutput(
    Tensor Logits,
    Tensor LastHiddenState,
    IReadOnlyList<Tensor>? HiddenStates,
    IReadOnlyList<Tensor>? Attentions,
    IReadOnlyList<Tensor>? CrossAttentions);
