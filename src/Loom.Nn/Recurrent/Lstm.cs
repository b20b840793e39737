// Long short-term memory (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000), in the form and
// parameter layout of torch.nn.LSTM (pytorch/pytorch torch/nn/modules/rnn.py; gates i, f, g, o stacked along rows):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
//   c' = f ⊙ c + i ⊙ g   h' = o ⊙ tanh(c')
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// A multi-layer, optionally bidirectional LSTM over batch-first input (B, T, C) with PyTorch's parameter names, so
/// torch.nn.LSTM state dicts load unchanged.
/// </summary>
public sealed class Lstm : RecurrentNetwork
{
    /// <summary>Binds the parameters of torch.nn.LSTM(inputSize, hiddenSize, numLayers, bias, batch_first=True, bidirectional) under <paramref name="weights"/>.</summary>
    public Lstm(Weights weights, int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, bool bias = true)
        : base(weights, inputSize, hiddenSize, numLayers, bidirectional, bias, gateCount: 4)
    {
    }

    /// <inheritdoc/>
    protected override bool HasCellState => true;

    /// <summary>
    /// Runs the network. <paramref name="lengths"/> (B) gives each row's valid prefix (null: all T), as with
    /// pack_padded_sequence; <paramref name="hidden0"/>, <paramref name="cell0"/> are (L·D, B, H) (null: zeros).
    /// </summary>
    public RecurrentOutput Forward(Tensor input, IReadOnlyList<int>? lengths = null, Tensor? hidden0 = null, Tensor? cell0 = null) =>
        Run(input, lengths, hidden0, cell0);

    /// <summary>As <see cref="Forward(Tensor, IReadOnlyList{int}?, Tensor?, Tensor?)"/> with lengths from an HF padding mask (B, T) of 1/0.</summary>
    public RecurrentOutput Forward(Tensor input, IntTensor paddingMask, Tensor? hidden0 = null, Tensor? cell0 = null) =>
        Run(input, LengthsFromMask(paddingMask), hidden0, cell0);

    /// <inheritdoc/>
    protected override (Tensor Hidden, Tensor? Cell) Step(Tensor inputGates, Tensor hiddenGates, Tensor hidden, Tensor? cell)
    {
        var gates = inputGates + hiddenGates; // (B, 4H)
        var i = Gate(gates, 0).Sigmoid(); // (B, H)
        var f = Gate(gates, 1).Sigmoid(); // (B, H)
        var g = Gate(gates, 2).Tanh(); // (B, H)
        var o = Gate(gates, 3).Sigmoid(); // (B, H)
        var c = (f * cell!) + (i * g); // (B, H)
        return (o * c.Tanh(), c);
    }
}
