using Loom.Core;

namespace Loom.Models.Seq2Seq;

/// <summary>
/// What the encoder of an encoder-decoder model returns (HF BaseModelOutput): the last hidden state (B, S, C), and on
/// request every hidden state (embedding output, then each layer; L + 1 tensors, the last equal to the last hidden
/// state) and every layer's attention probabilities (B, H, S, S). Computed once and reused by every decoding step.
/// </summary>
public sealed record EncoderOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates, IReadOnlyList<Tensor>? Attentions);
