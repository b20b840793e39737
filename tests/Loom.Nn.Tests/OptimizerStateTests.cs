using Loom.Core;

namespace Loom.Nn.Tests;

/// <summary>Optimizer state export/import: a resumed optimizer continues bit for bit like one that never stopped.</summary>
public sealed class OptimizerStateTests
{
    private static readonly float[][] Gradients = [[0.5f, -1f, 2f], [0.25f, 3f, -0.5f], [-1f, 0.1f, 0.7f], [2f, 2f, -2f], [0.3f, -0.3f, 0.9f]];

    private static (Tensor Weight, Tensor Bias) Parameters()
    {
        var weight = Tensor.FromArray([1f, -2f, 0.5f]);
        var bias = Tensor.FromArray([0.1f]);
        weight.RequiresGrad = bias.RequiresGrad = true;
        return (weight, bias);
    }

    private static void Step(Optimizer optimizer, Tensor weight, Tensor bias, int step)
    {
        weight.Grad = Tensor.FromArray(Gradients[step]);
        // The bias gets a gradient only on even steps, so per-parameter step counts differ from the optimizer's.
        bias.Grad = step % 2 == 0 ? Tensor.FromArray([Gradients[step][0]]) : null;
        optimizer.Step();
    }

    public static TheoryData<string> Optimizers => ["adamw", "adam", "sgd"];

    private static Optimizer Create(string kind, Tensor weight, Tensor bias) => kind switch
    {
        "adamw" => new AdamW([weight, bias], learningRate: 0.01),
        "adam" => new Adam([new ParameterGroup([weight, bias])], learningRate: 0.01, weightDecay: 0.1),
        _ => new Sgd([weight, bias], learningRate: 0.1, momentum: 0.9),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Resumed_optimizer_matches_an_uninterrupted_one_bit_for_bit(string kind)
    {
        var (w1, b1) = Parameters();
        var straight = Create(kind, w1, b1);
        for (var s = 0; s < Gradients.Length; s++)
        {
            Step(straight, w1, b1, s);
        }

        var (w2, b2) = Parameters();
        var first = Create(kind, w2, b2);
        for (var s = 0; s < 3; s++)
        {
            Step(first, w2, b2, s);
        }

        var state = first.ExportState([new("w", w2), new("b", b2)]);
        Assert.Equal(3, state.StepCount);
        var (w3, b3) = Parameters();
        w2.AsSpan().CopyTo(w3.AsSpan());
        b2.AsSpan().CopyTo(b3.AsSpan());
        var resumed = Create(kind, w3, b3);
        resumed.ImportState(state, [new("b", b3), new("w", w3)]);
        for (var s = 3; s < Gradients.Length; s++)
        {
            Step(resumed, w3, b3, s);
        }

        Assert.Equal(straight.StepCount, resumed.StepCount);
        Assert.Equal(w1.ToArray(), w3.ToArray());
        Assert.Equal(b1.ToArray(), b3.ToArray());
    }

    [Fact]
    public void Adam_exports_moments_and_per_parameter_steps_by_name()
    {
        var (w, b) = Parameters();
        var adam = new AdamW([w, b]);
        for (var s = 0; s < 3; s++)
        {
            Step(adam, w, b, s);
        }

        var state = adam.ExportState([new("w", w), new("b", b)]);
        Assert.Equal(adam.FirstMoment(w), state.Buffers["exp_avg"]["w"]);
        Assert.Equal(adam.SecondMoment(b), state.Buffers["exp_avg_sq"]["b"]);
        Assert.Equal(3, state.Counters["step"]["w"]);
        Assert.Equal(2, state.Counters["step"]["b"]); // steps 0 and 2 only
    }

    [Fact]
    public void Import_names_the_unknown_parameter_and_the_wrong_length_and_changes_nothing()
    {
        var (w, b) = Parameters();
        var adam = new AdamW([w, b]);
        Step(adam, w, b, 0);
        var state = adam.ExportState([new("w", w), new("b", b)]);
        var before = adam.FirstMoment(w)!.ToArray();

        var unknown = Assert.Throws<StateDictException>(() => adam.ImportState(state, [new("weight", w), new("b", b)]));
        Assert.Contains("'w'", unknown.Message, StringComparison.Ordinal);

        var (shortW, _) = (Tensor.FromArray([1f, 2f]), 0);
        shortW.RequiresGrad = true;
        var other = new AdamW([shortW, b]);
        var wrongLength = Assert.Throws<StateDictException>(() => other.ImportState(state, [new("w", shortW), new("b", b)]));
        Assert.Contains("'w' has 3 values; the parameter has 2", wrongLength.Message, StringComparison.Ordinal);
        Assert.Null(other.FirstMoment(shortW));

        var sgd = new Sgd([w, b], learningRate: 0.1, momentum: 0.9);
        var wrongKind = Assert.Throws<StateDictException>(() => sgd.ImportState(state, [new("w", w), new("b", b)]));
        Assert.Contains("'exp_avg'", wrongKind.Message, StringComparison.Ordinal);
        Assert.Equal(before, adam.FirstMoment(w));
    }
}
