// Dropout in the from-scratch Transformer, as in the HF families (Training/DropoutTests): each probability of the
// config (embeddings + sub-layer outputs, attention probabilities, feed-forward activations) drops out in training mode
// only, for every kind (cross-attention included); the tree's seeded generator draws the same masks for the same seed;
// a training-mode model with every probability 0 computes exactly what eval mode does.
using Loom.Core;
using Loom.Models.Transformer;
using Loom.Nn;

namespace Loom.Models.Tests.Transformer;

public sealed class TransformerDropoutTests
{
    public static TheoryData<TransformerKind, string> Sites()
    {
        var data = new TheoryData<TransformerKind, string>();
        foreach (var kind in Enum.GetValues<TransformerKind>())
        {
            foreach (var site in new[] { "dropout", "attention_dropout", "activation_dropout" })
            {
                data.Add(kind, site);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sites))]
    public void Each_probability_drops_out_in_training_mode_only_and_the_same_seed_draws_the_same_masks(TransformerKind kind, string site)
    {
        var eval = Run(kind, site, 0.5f, training: false, seed: 7);
        var trained = Run(kind, site, 0.5f, training: true, seed: 7);
        Assert.NotEqual(eval, trained);
        Assert.Equal(trained, Run(kind, site, 0.5f, training: true, seed: 7));
        Assert.Equal(eval, Run(kind, site: null, 0f, training: false, seed: 7));
    }

    [Theory]
    [InlineData(TransformerKind.EncoderOnly)]
    [InlineData(TransformerKind.DecoderOnly)]
    [InlineData(TransformerKind.EncoderDecoder)]
    public void Training_mode_with_every_probability_zero_equals_eval_mode(TransformerKind kind) =>
        Assert.Equal(Run(kind, site: null, 0.5f, training: false, seed: 7), Run(kind, site: null, 0f, training: true, seed: 7));

    [Fact]
    public void Successive_training_steps_draw_new_masks()
    {
        var weights = Weights.Initialize(new Generator(8));
        var model = new TransformerModel(weights, Config(TransformerKind.DecoderOnly, site: null, 0.3f));
        weights.Training = true;
        var ids = IntTensor.FromArray([3, 9, 4, 1, 7, 2], 1, 6);
        Assert.NotEqual(model.Forward(ids).Logits.ToArray(), model.Forward(ids).Logits.ToArray());
    }

    /// <summary>Logits of a fresh tiny model with <paramref name="site"/> (or every dropout probability when null) at <paramref name="p"/>, the others 0.</summary>
    private static float[] Run(TransformerKind kind, string? site, float p, bool training, ulong seed)
    {
        var weights = Weights.Initialize(new Generator(seed));
        var model = new TransformerModel(weights, Config(kind, site, p));
        weights.Training = training;
        var ids = IntTensor.FromArray([3, 9, 4, 1, 7, 2, 8, 5, 6, 1, 0, 0], 2, 6);
        var mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 6);
        var decoderIds = kind == TransformerKind.EncoderDecoder ? IntTensor.FromArray([1, 5, 2, 1, 6, 3], 2, 3) : null;
        return model.Forward(ids, mask, decoderIds).Logits.ToArray();
    }

    private static TransformerConfig Config(TransformerKind kind, string? site, float p)
    {
        float P(string name) => site is null || site == name ? p : 0f;
        return new TransformerConfig
        {
            Kind = kind,
            Layers = 2,
            Channels = 16,
            Heads = 2,
            FeedForward = 32,
            VocabSize = 17,
            MaxPositions = 16,
            Dropout = P("dropout"),
            AttentionDropout = P("attention_dropout"),
            ActivationDropout = P("activation_dropout"),
        };
    }
}
