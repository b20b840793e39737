using Loom.Core;

namespace Loom.Nn.Tests;

public sealed class LossTests
{
    [Fact]
    public void Mse_is_the_mean_squared_difference()
    {
        var loss = Losses.Mse(Tensor.FromArray([1f, 2f]), Tensor.FromArray([0f, 4f]));
        Assert.Equal(2.5f, loss.Item());
        Assert.Equal(5f, Losses.Mse(Tensor.FromArray([1f, 2f]), Tensor.FromArray([0f, 4f]), Reduction.Sum).Item());
        Assert.Throws<TensorShapeException>(() => Losses.Mse(Tensor.Zeros(2), Tensor.Zeros(3)));
    }

    [Fact]
    public void Bce_with_logits_values_are_stable_and_the_gradient_is_sigmoid_minus_target()
    {
        var x = Tensor.FromArray([0f, 2f, 100f, -100f]);
        x.RequiresGrad = true;
        var y = Tensor.FromArray([1f, 0f, 0f, 0f]);
        var perElement = Losses.BceWithLogits(x, y, Reduction.None).ToArray();
        Assert.Equal(MathF.Log(2f), perElement[0], 6);
        Assert.Equal(2f + MathF.Log(1f + MathF.Exp(-2f)), perElement[1], 6);
        Assert.Equal(100f, perElement[2], 4);
        Assert.Equal(0f, perElement[3], 6);

        Losses.BceWithLogits(x, y).Backward();
        var sigmoid2 = 1f / (1f + MathF.Exp(-2f));
        Assert.Equal([(0.5f - 1f) / 4f, sigmoid2 / 4f, 0.25f, 0f], x.Grad!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Causal_lm_loss_scores_position_t_against_label_t_plus_one()
    {
        // Logits (1, 3, 2): position 0 favours class 1, position 1 is uniform; labels (1, 3) = [_, 1, −100].
        var logits = Tensor.FromArray([0f, 5f, 0f, 0f, 9f, 9f], 1, 3, 2);
        var loss = Losses.CausalLmCrossEntropy(logits, IntTensor.FromArray([7, 1, -100], 1, 3));
        Assert.Equal(MathF.Log(1f + MathF.Exp(-5f)), loss.Item(), 6);
    }
}
