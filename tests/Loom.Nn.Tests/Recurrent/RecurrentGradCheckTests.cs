// Autograd through Lstm / Gru (2 layers, bidirectional, masked lengths, given initial states) against central finite
// differences for every parameter, the input and the initial states; and proof that the check can fail.
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

public sealed class RecurrentGradCheckTests
{
    private const int Batch = 2;
    private const int Time = 3;
    private const int InputSize = 3;
    private const int HiddenSize = 2;
    private const int Layers = 2;
    private static readonly int[] Lengths = [3, 1];

    [Fact]
    public void Lstm_AutogradMatchesFiniteDifferences()
    {
        var (weights, x, h0, c0) = Setup();
        var lstm = new Lstm(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var (mismatches, count) = RecurrentGradCheck.Run(Leaves(weights, x, h0, c0), () => lstm.Forward(x, Lengths, h0, c0), () => lstm.Forward(x, Lengths, h0, c0), seed: 11);
        Assert.True(count > 200, $"only {count} elements checked");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Gru_AutogradMatchesFiniteDifferences()
    {
        var (weights, x, h0, _) = Setup();
        var gru = new Gru(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var (mismatches, count) = RecurrentGradCheck.Run(Leaves(weights, x, h0, null), () => gru.Forward(x, Lengths, h0), () => gru.Forward(x, Lengths, h0), seed: 12);
        Assert.True(count > 150, $"only {count} elements checked");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void GradCheck_FailsWhenAutogradComesFromASwappedGate()
    {
        // Same parameters, but the analytic gradient comes from an LSTM whose i and f gates are swapped.
        var (weights, x, h0, c0) = Setup();
        var lstm = new Lstm(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var broken = new SwappedGateLstm(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var (mismatches, count) = RecurrentGradCheck.Run(Leaves(weights, x, h0, c0), () => broken.Forward(x, Lengths, h0, c0), () => lstm.Forward(x, Lengths, h0, c0), seed: 11);
        Assert.True(mismatches.Count > count / 4, $"only {mismatches.Count} of {count} elements flagged");
    }

    [Fact]
    public void GradCheck_FailsWhenAutogradComesFromAReversedUpdateGate()
    {
        var (weights, x, h0, _) = Setup();
        var gru = new Gru(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var broken = new ReversedUpdateGru(weights, InputSize, HiddenSize, Layers, bidirectional: true);
        var (mismatches, count) = RecurrentGradCheck.Run(Leaves(weights, x, h0, null), () => broken.Forward(x, Lengths, h0), () => gru.Forward(x, Lengths, h0), seed: 12);
        Assert.True(mismatches.Count > count / 4, $"only {mismatches.Count} of {count} elements flagged");
    }

    private static (Weights Weights, Tensor Input, Tensor Hidden0, Tensor Cell0) Setup()
    {
        var rng = new Generator(7);
        var weights = Weights.Initialize(new Generator(5));
        var x = Tensor.Randn(rng, Batch, Time, InputSize); // (B, T, C)
        var h0 = Tensor.Randn(rng, Layers * 2, Batch, HiddenSize); // (L·D, B, H)
        var c0 = Tensor.Randn(rng, Layers * 2, Batch, HiddenSize); // (L·D, B, H)
        x.RequiresGrad = h0.RequiresGrad = c0.RequiresGrad = true;
        return (weights, x, h0, c0);
    }

    private static List<KeyValuePair<string, Tensor>> Leaves(Weights weights, Tensor x, Tensor h0, Tensor? c0)
    {
        // Parameters are read lazily: the network must be built before this is called.
        var leaves = new List<KeyValuePair<string, Tensor>>(weights.Parameters) { new("input", x), new("h0", h0) };
        if (c0 is not null)
        {
            leaves.Add(new("c0", c0));
        }

        return leaves;
    }
}
