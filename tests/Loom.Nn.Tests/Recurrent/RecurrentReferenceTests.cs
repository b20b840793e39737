// Conformance of Lstm / Gru with torch.nn.LSTM / torch.nn.GRU 1.13 (2 layers, bidirectional, C = 5, H = 7, B = 3,
// lengths [4, 2, 3] through pack_padded_sequence, random h0/c0): the state dict loads by name through safetensors,
// and the padded output, h_n, c_n, and the gradients of sum(output) for every parameter and the input match.
using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Nn.Tests.Recurrent;

public sealed class RecurrentReferenceTests
{
    private const double Tolerance = 1e-5;
    private const int InputSize = 5;
    private const int HiddenSize = 7;
    private const int Layers = 2;

    [Fact]
    public void Lstm_MatchesTorch_OutputsStatesAndEveryGradient()
    {
        var fixture = RnnFixture.Load("lstm");
        var (result, weights, input) = RunOnCheckpoint(fixture, (w, x) =>
            new Lstm(w, InputSize, HiddenSize, Layers, bidirectional: true).Forward(x, fixture.Lengths, fixture.Hidden0, fixture.Cell0));
        AssertMatches(fixture, result, weights, input);
        RecurrentAssert.Close(result.Cell, fixture.CellN!, Tolerance, "c_n");
    }

    [Fact]
    public void Gru_MatchesTorch_OutputsStatesAndEveryGradient()
    {
        var fixture = RnnFixture.Load("gru");
        var (result, weights, input) = RunOnCheckpoint(fixture, (w, x) =>
            new Gru(w, InputSize, HiddenSize, Layers, bidirectional: true).Forward(x, fixture.Lengths, fixture.Hidden0));
        AssertMatches(fixture, result, weights, input);
        Assert.Null(result.Cell);
    }

    [Fact]
    public void Lstm_PaddingMask_GivesTheSameBitsAsLengths()
    {
        var fixture = RnnFixture.Load("lstm");
        var (batch, time) = (fixture.Input.Size(0), fixture.Input.Size(1));
        var mask = new int[batch * time];
        for (var b = 0; b < batch; b++)
        {
            for (var t = 0; t < fixture.Lengths[b]; t++)
            {
                mask[(b * time) + t] = 1;
            }
        }

        var lstm = new Lstm(Weights.Initialize(new Generator(3)), InputSize, HiddenSize, Layers, bidirectional: true);
        using (Tensor.NoGrad())
        {
            var byLengths = lstm.Forward(fixture.Input, fixture.Lengths, fixture.Hidden0, fixture.Cell0);
            var byMask = lstm.Forward(fixture.Input, IntTensor.FromArray(mask, batch, time), fixture.Hidden0, fixture.Cell0);
            Assert.Equal(byLengths.Output.ToArray(), byMask.Output.ToArray());
            Assert.Equal(byLengths.Hidden.ToArray(), byMask.Hidden.ToArray());
            Assert.Equal(byLengths.Cell!.ToArray(), byMask.Cell!.ToArray());
        }
    }

    [Fact]
    public void SwappedGateLstm_IsCaughtByTheReference()
    {
        var fixture = RnnFixture.Load("lstm");
        var (result, _, _) = RunOnCheckpoint(fixture, (w, x) =>
            new SwappedGateLstm(w, InputSize, HiddenSize, Layers, bidirectional: true).Forward(x, fixture.Lengths, fixture.Hidden0, fixture.Cell0));
        var diff = RecurrentAssert.MaxAbsDiff(result.Output, fixture.Output, "output");
        Assert.True(diff > 100 * Tolerance, $"a swapped i/f gate should be far from torch; max |Δ| = {diff:G3}");
    }

    [Fact]
    public void ReversedUpdateGru_IsCaughtByTheReference()
    {
        var fixture = RnnFixture.Load("gru");
        var (result, _, _) = RunOnCheckpoint(fixture, (w, x) =>
            new ReversedUpdateGru(w, InputSize, HiddenSize, Layers, bidirectional: true).Forward(x, fixture.Lengths, fixture.Hidden0));
        var diff = RecurrentAssert.MaxAbsDiff(result.Output, fixture.Output, "output");
        Assert.True(diff > 100 * Tolerance, $"a reversed update gate should be far from torch; max |Δ| = {diff:G3}");
    }

    /// <summary>Loads the fixture's state dict from a safetensors file, runs forward and backward of sum(output); returns the input leaf too.</summary>
    private static (RecurrentOutput Result, Weights Weights, Tensor Input) RunOnCheckpoint(RnnFixture fixture, Func<Weights, Tensor, RecurrentOutput> forward)
    {
        var path = fixture.SaveCheckpoint();
        try
        {
            using var checkpoint = SafetensorsCheckpoint.Open(path);
            var weights = Weights.FromCheckpoint(checkpoint);
            var input = Tensor.FromArray(fixture.Input.ToArray(), [.. fixture.Input.Shape]);
            input.RequiresGrad = true;
            var result = forward(weights, input);
            weights.EnsureAllCheckpointKeysUsed();
            result.Output.Sum().Backward();
            return (result, weights, input);
        }
        finally
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static void AssertMatches(RnnFixture fixture, RecurrentOutput result, Weights weights, Tensor input)
    {
        RecurrentAssert.Close(input.Grad, fixture.InputGrad, Tolerance, "input gradient");
        Assert.Equal(fixture.StateDict.Keys, weights.Parameters.Select(p => p.Key));
        RecurrentAssert.Close(result.Output, fixture.Output, Tolerance, "output");
        RecurrentAssert.Close(result.Hidden, fixture.HiddenN, Tolerance, "h_n");
        foreach (var (name, parameter) in weights.Parameters)
        {
            RecurrentAssert.Close(parameter.Grad, fixture.Grads[name], Tolerance, $"grad {name}");
        }
    }
}
