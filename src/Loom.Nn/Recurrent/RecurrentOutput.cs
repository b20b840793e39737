// Return value of the recurrent networks, shaped like torch.nn.LSTM / torch.nn.GRU with batch_first=True
// (output, h_n[, c_n]); padded steps of the output are zero as after torch's pad_packed_sequence.
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// The per-step outputs of the last layer and the final states of every (layer, direction).
/// </summary>
/// <param name="Output">(B, T, D·H): last layer's hidden state at every step (both directions concatenated); zero at padded steps.</param>
/// <param name="Hidden">(L·D, B, H): final hidden state per layer and direction (index layer·D + direction), taken at each sequence's last valid step.</param>
/// <param name="Cell">(L·D, B, H): final LSTM cell state, or null for a GRU.</param>
public sealed record RecurrentOutput(Tensor Output, Tensor Hidden, Tensor? Cell);
