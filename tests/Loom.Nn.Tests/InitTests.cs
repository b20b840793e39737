using Loom.Core;

namespace Loom.Nn.Tests;

/// <summary>Moments and bounds of the initialisers on large samples (the formulas of torch.nn.init).</summary>
public sealed class InitTests
{
    private const int Rows = 256;
    private const int Cols = 512;

    private static float[] Sample(Init init)
    {
        var values = new float[Rows * Cols];
        init.Fill(values, [Rows, Cols], new Generator(11));
        return values;
    }

    private static (double Mean, double Std) Moments(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }

    [Theory]
    [InlineData("xavier_uniform")]
    [InlineData("xavier_normal")]
    [InlineData("kaiming_uniform")]
    [InlineData("kaiming_normal")]
    [InlineData("normal")]
    [InlineData("uniform")]
    public void Standard_deviation_matches_the_formula(string kind)
    {
        // fan_in = 512, fan_out = 256 for a (256, 512) weight.
        var (init, std) = kind switch
        {
            "xavier_uniform" => (Init.XavierUniform(), Math.Sqrt(2d / (Rows + Cols))),
            "xavier_normal" => (Init.XavierNormal(), Math.Sqrt(2d / (Rows + Cols))),
            "kaiming_uniform" => (Init.KaimingUniform(), Math.Sqrt(2d / Cols)),
            "kaiming_normal" => (Init.KaimingNormal(), Math.Sqrt(2d / Cols)),
            "normal" => (Init.Normal(0.02f), 0.02),
            _ => (Init.Uniform(-1f, 1f), 1d / Math.Sqrt(3d)),
        };
        var (mean, measured) = Moments(Sample(init));
        Assert.InRange(mean, -0.01 * std, 0.01 * std);
        Assert.InRange(measured, 0.99 * std, 1.01 * std);
    }

    [Fact]
    public void Uniform_bounds_hold_and_truncated_normal_stays_within_two_std()
    {
        var bound = Math.Sqrt(6d / (Rows + Cols));
        Assert.All(Sample(Init.XavierUniform()), v => Assert.InRange(v, -bound, bound));
        var truncated = Sample(Init.TruncatedNormal(0.02f));
        Assert.All(truncated, v => Assert.InRange(v, -0.04f, 0.04f));
        // A N(0, 1) cut at ±2 has std ≈ 0.8796.
        Assert.InRange(Moments(truncated).Std, 0.8796 * 0.02 * 0.99, 0.8796 * 0.02 * 1.01);
    }

    [Fact]
    public void Fans_use_dims_one_and_zero_times_the_receptive_field()
    {
        Assert.Equal((3 * 5 * 7, 2 * 5 * 7), Init.Fans([2, 3, 5, 7]));
        Assert.Throws<ArgumentException>(() => Init.Fans([4]));
    }
}
