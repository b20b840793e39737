// A deliberately wrong LSTM for the tests: the input and forget gate blocks are read in the wrong order (f, i, g, o
// instead of torch's i, f, g, o). It shares the real Lstm's parameter names, so both can be built on one Weights tree.
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

/// <summary>An LSTM whose i and f gates are swapped: the tests must detect it.</summary>
internal sealed class SwappedGateLstm : RecurrentNetwork
{
    public SwappedGateLstm(Weights weights, int inputSize, int hiddenSize, int numLayers, bool bidirectional)
        : base(weights, inputSize, hiddenSize, numLayers, bidirectional, bias: true, gateCount: 4)
    {
    }

    protected override bool HasCellState => true;

    public RecurrentOutput Forward(Tensor input, IReadOnlyList<int>? lengths, Tensor? hidden0, Tensor? cell0) =>
        Run(input, lengths, hidden0, cell0);

    protected override (Tensor Hidden, Tensor? Cell) Step(Tensor inputGates, Tensor hiddenGates, Tensor hidden, Tensor? cell)
    {
        var gates = inputGates + hiddenGates; // (B, 4H)
        var f = Gate(gates, 0).Sigmoid(); // wrong block: this is i in torch's layout
        var i = Gate(gates, 1).Sigmoid(); // wrong block: this is f
        var g = Gate(gates, 2).Tanh();
        var o = Gate(gates, 3).Sigmoid();
        var c = (f * cell!) + (i * g); // (B, H)
        return (o * c.Tanh(), c);
    }
}
