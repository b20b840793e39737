using Loom.Core;

namespace Loom.Nn.Tests;

/// <summary>Optimizer updates against values derived by hand from the torch.optim update rules.</summary>
public sealed class OptimizerTests
{
    private static Tensor Parameter(params float[] values)
    {
        var p = Tensor.FromArray(values);
        p.RequiresGrad = true;
        return p;
    }

    private static void SetGrad(Tensor p, params float[] g) => p.Grad = Tensor.FromArray(g);

    [Theory]
    [InlineData(false, 0.9f, 0.71f)] // b = 1, p = 0.9; b = 1.9, p = 0.71
    [InlineData(true, 0.81f, 0.539f)] // d = 1 + 0.9·1 = 1.9, p = 0.81; b = 1.9, d = 1 + 0.9·1.9 = 2.71, p = 0.539
    public void Sgd_momentum_and_nesterov(bool nesterov, float afterOne, float afterTwo)
    {
        var p = Parameter(1f);
        var sgd = new Sgd([p], learningRate: 0.1, momentum: 0.9, nesterov: nesterov);
        SetGrad(p, 1f);
        sgd.Step();
        Assert.Equal(afterOne, p.Item(), 6);
        SetGrad(p, 1f);
        sgd.Step();
        Assert.Equal(afterTwo, p.Item(), 6);
    }

    [Fact]
    public void Sgd_weight_decay_is_added_to_the_gradient_and_parameters_without_grad_are_skipped()
    {
        var (p, q) = (Parameter(2f), Parameter(5f));
        var sgd = new Sgd([p, q], learningRate: 0.1, weightDecay: 0.5);
        SetGrad(p, 0f);
        sgd.Step();
        Assert.Equal(1.9f, p.Item(), 6); // 2 − 0.1·(0 + 0.5·2)
        Assert.Equal(5f, q.Item());
    }

    [Fact]
    public void Adam_first_step_moves_by_lr_and_decay_is_l2_in_adam_and_decoupled_in_adamw()
    {
        // Step 1: m̂ = g, √v̂ = |g|, so the update is lr·g/(|g| + ε) ≈ lr·sign(g).
        var (a, w) = (Parameter(1f, -1f), Parameter(1f, -1f));
        var adam = new Adam([new ParameterGroup([a])], learningRate: 0.01, weightDecay: 0.1);
        var adamW = new AdamW([w], learningRate: 0.01, weightDecay: 0.1);
        SetGrad(a, 2f, 0f);
        SetGrad(w, 2f, 0f);
        adam.Step();
        adamW.Step();
        // Adam: g' = (2.1, −0.1) → both move by lr against sign(g').
        Assert.Equal([0.99f, -0.99f], a.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        // AdamW: p ·= 1 − 0.001, then −lr·sign(g) (zero gradient: no Adam move).
        Assert.Equal([0.999f - 0.01f, -0.999f], w.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal([0.2f, 0f], adamW.FirstMoment(w)!);
    }

    [Fact]
    public void A_frozen_parameter_in_a_group_gets_no_gradient_and_no_decay()
    {
        var trained = Parameter(1f);
        var frozen = Tensor.FromArray([1f]); // RequiresGrad false: a buffer such as BART's final_logits_bias
        var adamW = new AdamW([trained, frozen], learningRate: 0.1, weightDecay: 0.5);
        (trained * frozen).Sum().Backward();
        adamW.Step();
        Assert.Null(frozen.Grad);
        Assert.Equal(1f, frozen.Item());
        Assert.Equal((1f * 0.95f) - 0.1f, trained.Item(), 6); // decoupled decay, then −lr·sign(g)
    }

    [Fact]
    public void Parameter_groups_exempt_biases_and_norm_weights_from_decay()
    {
        var matrix = Tensor.Ones(2, 2);
        matrix.RequiresGrad = true;
        var bias = Parameter(1f, 1f);
        var adamW = new AdamW(ParameterGroup.DecayMatricesOnly([matrix, bias], 0.5), learningRate: 0.1);
        matrix.Grad = Tensor.Zeros(2, 2);
        SetGrad(bias, 0f, 0f);
        adamW.Step();
        Assert.All(matrix.ToArray(), v => Assert.Equal(0.95f, v, 6));
        Assert.Equal([1f, 1f], bias.ToArray());
    }

    [Fact]
    public void Clipping_scales_to_the_max_norm_and_returns_the_norm_before()
    {
        var (p, q) = (Parameter(0f, 0f), Parameter(0f));
        SetGrad(p, 3f, 0f);
        SetGrad(q, 4f);
        Assert.Equal(5f, GradientClipping.ClipGlobalNorm([p, q], 1f));
        var coefficient = 1f / (5f + 1e-6f);
        Assert.Equal([3f * coefficient, 0f], p.Grad!.ToArray());
        Assert.Equal(4f * coefficient, q.Grad!.Item());
        SetGrad(q, float.NaN);
        Assert.Throws<ArithmeticException>(() => GradientClipping.ClipGlobalNorm([q], 1f));
    }

    [Fact]
    public void A_parameter_in_two_groups_is_rejected()
    {
        var p = Parameter(1f);
        Assert.Throws<ArgumentException>(() => new AdamW([new ParameterGroup([p]), new ParameterGroup([p])]));
    }
}
