// Gated recurrent unit (Cho et al. 2014, "Learning Phrase Representations using RNN Encoder-Decoder"), in the form and
// parameter layout of torch.nn.GRU (pytorch/pytorch torch/nn/modules/rnn.py; gates r, z, n stacked along rows), where
// the reset gate multiplies the hidden projection after its bias:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// A multi-layer, optionally bidirectional GRU over batch-first input (B, T, C) with PyTorch's parameter names, so
/// torch.nn.GRU state dicts load unchanged.
/// </summary>
public sealed class Gru : RecurrentNetwork
{
    /// <summary>Binds the parameters of torch.nn.GRU(inputSize, hiddenSize, numLayers, bias, batch_first=True, bidirectional) under <paramref name="weights"/>.</summary>
    public Gru(Weights weights, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, bool bias = true)
        : base(weights, inputSize, hiddenSize, numLayers, bidirectional, bias, gateCount: 3)
    {
    }

    /// <inheritdoc/>
    protected override bool HasCellState => false;

    /// <summary>
    /// Runs the network. <paramref name="lengths"/> (B) gives each row's valid prefix (null: all T), as with
    /// pack_padded_sequence; <paramref name="hidden0"/> is (L·D, B, H) (null: zeros). The result's Cell is null.
    /// </summary>
    public RecurrentOutput Forward(Tensor input, IReadOnlyList<int>? lengths = null, Tensor? hidden0 = null) =>
        Run(input, lengths, hidden0, null);

    /// <summary>As <see cref="Forward(Tensor, IReadOnlyList{int}?, Tensor?)"/> with lengths from an HF padding mask (B, T) of 1/0.</summary>
    public RecurrentOutput Forward(Tensor input, IntTensor paddingMask, Tensor? hidden0 = null) =>
        Run(input, LengthsFromMask(paddingMask), hidden0, null);

    /// <inheritdoc/>
    protected override (Tensor Hidden, Tensor? Cell) Step(Tensor inputGates, Tensor hiddenGates, Tensor hidden, Tensor? cell)
    {
        var r = (Gate(inputGates, 0) + Gate(hiddenGates, 0)).Sigmoid(); // (B, H)
        var z = (Gate(inputGates, 1) + Gate(hiddenGates, 1)).Sigmoid(); // (B, H)
        var n = (Gate(inputGates, 2) + (r * Gate(hiddenGates, 2))).Tanh(); // (B, H)
        return (n + (z * (hidden - n)), null); // (1 − z)·n + z·h
    }
}
