// Bad input to Lstm / Gru raises typed exceptions that say what was expected and what was found; parameter names and
// shapes follow torch.nn.LSTM / torch.nn.GRU with and without biases.
using Loom.Core;

namespace Loom.Nn.Tests.Recurrent;

public sealed class RecurrentValidationTests
{
    [Fact]
    public void WrongInputWidth_ThrowsShapeException()
    {
        var lstm = new Lstm(Weights.Initialize(new Generator(1)), 4, 3);
        var error = Assert.Throws<TensorShapeException>(() => lstm.Forward(Tensor.Zeros(2, 5, 6)));
        Assert.Contains("(B, T ≥ 1, 4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 5, 6]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongInitialStateShape_ThrowsShapeException()
    {
        var gru = new Gru(Weights.Initialize(new Generator(1)), 4, 3, numLayers: 2, bidirectional: true);
        var error = Assert.Throws<TensorShapeException>(() => gru.Forward(Tensor.Zeros(2, 5, 4), hidden0: Tensor.Zeros(2, 2, 3)));
        Assert.Contains("h0 (L·D = 4, B = 2, H = 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LengthOutOfRange_Throws()
    {
        var lstm = new Lstm(Weights.Initialize(new Generator(1)), 4, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => lstm.Forward(Tensor.Zeros(2, 5, 4), [5, 6]));
        Assert.Contains("found 6 at batch row 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(2, 5, 4), [5]));
    }

    [Fact]
    public void LeftPaddedMask_Throws()
    {
        var lstm = new Lstm(Weights.Initialize(new Generator(1)), 4, 3);
        var mask = IntTensor.FromArray([1, 1, 1, 0, 1, 1], 2, 3);
        var error = Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(2, 3, 4), mask));
        Assert.Contains("row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroLength_KeepsTheInitialStateAndZeroOutput()
    {
        var gru = new Gru(Weights.Initialize(new Generator(1)), 4, 3, bidirectional: true);
        var h0 = Tensor.Randn(new Generator(2), 2, 2, 3); // (L·D, B, H)
        using var scope = Tensor.NoGrad();
        var result = gru.Forward(Tensor.Randn(new Generator(3), 2, 5, 4), [5, 0], h0);
        Assert.All(result.Output.Narrow(0, 1, 1).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(h0.Narrow(1, 1, 1).ToArray(), result.Hidden.Narrow(1, 1, 1).ToArray());
        Assert.NotEqual(h0.Narrow(1, 0, 1).ToArray(), result.Hidden.Narrow(1, 0, 1).ToArray());
    }

    [Fact]
    public void ParameterNamesAndShapes_FollowTorch()
    {
        var weights = Weights.Initialize(new Generator(1));
        _ = new Gru(weights.Scope("encoder"), 4, 3, numLayers: 2, bidirectional: true, bias: false);
        var names = weights.Parameters.Select(p => $"{p.Key} [{string.Join(", ", p.Value.Shape)}]");
        Assert.Equal(
            [
                "encoder.weight_ih_l0 [9, 4]", "encoder.weight_hh_l0 [9, 3]",
                "encoder.weight_ih_l0_reverse [9, 4]", "encoder.weight_hh_l0_reverse [9, 3]",
                "encoder.weight_ih_l1 [9, 6]", "encoder.weight_hh_l1 [9, 3]",
                "encoder.weight_ih_l1_reverse [9, 6]", "encoder.weight_hh_l1_reverse [9, 3]",
            ],
            names);
        var bound = 1f / MathF.Sqrt(3);
        Assert.All(weights.Parameters.SelectMany(p => p.Value.ToArray()), v => Assert.InRange(v, -bound, bound));
    }
}
