// A deliberately wrong GRU for the tests: the update gate is applied the other way round, h' = z ⊙ n + (1 − z) ⊙ h
// (the convention of some papers, not torch's). It shares the real Gru's parameter names.
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

/// <summary>A GRU with the update gate reversed: the tests must detect it.</summary>
internal sealed class ReversedUpdateGru : RecurrentNetwork
{
    public ReversedUpdateGru(Weights weights, int inputSize, int hiddenSize, int numLayers, bool bidirectional)
        : base(weights, inputSize, hiddenSize, numLayers, bidirectional, bias: true, gateCount: 3)
    {
    }

    protected override bool HasCellState => false;

    public RecurrentOutput Forward(Tensor input, IReadOnlyList<int>? lengths, Tensor? hidden0) =>
        Run(input, lengths, hidden0, null);

    protected override (Tensor Hidden, Tensor? Cell) Step(Tensor inputGates, Tensor hiddenGates, Tensor hidden, Tensor? cell)
    {
        var r = (Gate(inputGates, 0) + Gate(hiddenGates, 0)).Sigmoid();
        var z = (Gate(inputGates, 1) + Gate(hiddenGates, 1)).Sigmoid();
        var n = (Gate(inputGates, 2) + (r * Gate(hiddenGates, 2))).Tanh();
        return (hidden + (z * (n - hidden)), null); // z·n + (1 − z)·h: wrong on purpose
    }
}
