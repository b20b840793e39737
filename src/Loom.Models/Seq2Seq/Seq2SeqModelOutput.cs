using Loom.Core;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// A bare encoder-decoder forward pass (HF Seq2SeqModelOutput): the encoder output and the decoder's last hidden state
/// (B, T, C), on request its hidden states (L + 1), self- and cross-attention probabilities per layer. No logits.
/// </summary>
public sealed record Seq2SeqModelOutput(
    EncoderOutput Encoder,
    Tensor LastHiddenState,
    IReadOnlyList<Tensor>? HiddenStates,
    IReadOnlyList<Tensor>? Attentions,
    IReadOnlyList<Tensor>? CrossAttentions);
