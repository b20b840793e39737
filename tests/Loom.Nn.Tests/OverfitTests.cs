using Loom.Core;

namespace Loom.Nn.Tests;

/// <summary>End to end: a tiny causal transformer built from Loom.Nn modules memorises one short sequence.</summary>
public sealed class OverfitTests
{
    [Fact]
    public void Tiny_causal_transformer_overfits_one_sequence()
    {
        const int v = 11, c = 16, t = 10;
        var weights = Weights.Initialize(new Generator(21));
        var tokens = new Embedding(weights.Scope("wte"), v, c, Init.Normal(0.1f));
        var positions = new LearnedPositions(weights.Scope("wpe"), t, c, Init.Normal(0.1f));
        var norm = new LayerNorm(weights.Scope("ln"), c);
        var attention = new MultiHeadAttention(new Linear(weights.Scope("q"), c, c), new Linear(weights.Scope("k"), c, 8),
            new Linear(weights.Scope("v"), c, 8), new Linear(weights.Scope("o"), c, c), heads: 4, kvHeads: 2);
        var mlp = new Mlp(new Linear(weights.Scope("up"), c, 32), new Linear(weights.Scope("down"), 32, c), Activation.Gelu);
        var parameters = weights.Parameters.Select(p => p.Value).ToList();
        var optimizer = new AdamW(ParameterGroup.DecayMatricesOnly(parameters, 0.01), learningRate: 1e-2);
        var ids = IntTensor.FromArray([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], 1, t);
        var labels = ids; // HF convention: the loss shifts, position i predicts token i + 1

        float Step()
        {
            optimizer.ZeroGrad();
            var x = tokens.Forward(ids) + positions.Forward(t); // (1, T, C)
            x += attention.Forward(norm.Forward(x), causal: true);
            x += mlp.Forward(x);
            var loss = Losses.CausalLmCrossEntropy(tokens.Attend(x), labels);
            loss.Backward();
            GradientClipping.ClipGlobalNorm(parameters, 1f);
            optimizer.Step();
            return loss.Item();
        }

        var first = Step();
        var last = first;
        for (var i = 0; i < 150; i++)
        {
            last = Step();
        }

        Assert.InRange(first, 2f, 3f); // ≈ ln 11 = 2.4 at initialisation
        Assert.InRange(last, 0f, 0.05f);
    }
}
