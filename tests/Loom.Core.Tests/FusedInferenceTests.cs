using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>
/// MatmulAddBias and AddLayerNorm against the ops they fuse: without a gradient the fused pass gives the composed
/// result bit for bit at any thread count; with one they record the composed ops, so the gradients are the composed ones.
/// </summary>
public class FusedInferenceTests
{
    public static TheoryData<int> ThreadCounts => [1, 2, 3];

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void MatmulAddBias_without_grad_equals_matmul_plus_bias_bitwise(int threads)
    {
        // (4, 64, 48)·(48, 300) through a transposed (300, 48) weight: large enough to split rows across threads.
        var x = Normal(1, 4, 64, 48);
        var weight = Normal(2, 300, 48);
        var bias = Normal(3, 300);
        var expected = (x.Matmul(weight.Transpose(0, 1)) + bias).ToArray();
        var fused = KernelThreads.With(threads, () =>
        {
            using var noGrad = Tensor.NoGrad();
            return x.MatmulAddBias(weight.Transpose(0, 1), bias);
        });
        Assert.Equal([4, 64, 300], fused.Shape.ToArray());
        Assert.Equal(expected, fused.ToArray());
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void AddLayerNorm_without_grad_equals_add_then_layer_norm_bitwise(int threads)
    {
        var x = Normal(4, 8, 40, 128);
        var residual = Normal(5, 8, 40, 128);
        var (weight, bias) = (Normal(6, 128), Normal(7, 128));
        var expected = (x + residual).LayerNorm(weight, bias, 1e-12f).ToArray();
        var fused = KernelThreads.With(threads, () =>
        {
            using var noGrad = Tensor.NoGrad();
            return x.AddLayerNorm(residual, weight, bias, 1e-12f);
        });
        Assert.Equal([8, 40, 128], fused.Shape.ToArray());
        Assert.Equal(expected, fused.ToArray());
        Assert.Equal((x + residual).LayerNorm(null, null).ToArray(), x.AddLayerNorm(residual, null, null).ToArray());
    }

    [Fact]
    public void With_grad_both_give_the_gradients_of_the_composed_ops()
    {
        var inputs = new[] { Normal(8, 2, 3, 5), Normal(9, 4, 5), Normal(10, 4), Normal(11, 2, 3, 4), Normal(12, 4), Normal(13, 4) };
        var fused = Gradients(inputs, x => x[0].MatmulAddBias(x[1].Transpose(0, 1), x[2]).AddLayerNorm(x[3], x[4], x[5]));
        var composed = Gradients(inputs, x => ((x[0].Matmul(x[1].Transpose(0, 1)) + x[2]) + x[3]).LayerNorm(x[4], x[5]));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(composed[i], fused[i]);
        }
    }

    private static float[][] Gradients(Tensor[] inputs, Func<Tensor[], Tensor> f)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.ZeroGrad();
        }

        var y = f(inputs);
        (y * Tensor.Randn(new Generator(99), [.. y.Shape])).Sum().Backward();
        return [.. inputs.Select(x => x.Grad!.ToArray())];
    }

    private static Tensor Normal(ulong seed, params int[] shape) => Tensor.Randn(new Generator(seed), shape);
}
