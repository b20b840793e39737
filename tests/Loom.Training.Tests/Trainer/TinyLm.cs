using Loom.Core;
using Loom.Nn;

namespace Loom.Training.Tests.Trainer;

/// <summary>
/// A tiny next-token model for trainer tests: token + position embeddings, a GELU hidden layer with dropout and an
/// output layer (B, T) → (B, T, V). Small enough that a training step takes a millisecond.
/// </summary>
internal sealed class TinyLm
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly Linear _hidden;
    private readonly Dropout _dropout;
    private readonly Linear _head;

    public TinyLm(ulong seed, int vocabulary = 8, int context = 8, int channels = 16, float dropout = 0f)
    {
        Weights = Weights.Initialize(new Generator(seed));
        var init = Init.Normal(0.1f);
        _tokens = new Embedding(Weights.Scope("wte"), vocabulary, channels, init);
        _positions = new Embedding(Weights.Scope("wpe"), context, channels, init);
        _hidden = new Linear(Weights.Scope("hidden"), channels, 2 * channels);
        _dropout = new Dropout(Weights, dropout);
        _head = new Linear(Weights.Scope("head"), 2 * channels, vocabulary);
        Vocabulary = vocabulary;
    }

    public Weights Weights { get; }

    public int Vocabulary { get; }

    /// <summary>Mean next-token cross-entropy of a batch.</summary>
    public Tensor Loss(LmBatch batch)
    {
        var t = batch.Inputs.Shape[1];
        var positions = IntTensor.FromArray([.. Enumerable.Range(0, t)], 1, t);
        var x = _tokens.Forward(batch.Inputs) + _positions.Forward(positions); // (B, T, C)
        var h = _dropout.Forward(_hidden.Forward(x).Gelu()); // (B, T, 2C)
        var logits = _head.Forward(h); // (B, T, V)
        return Losses.CrossEntropy(logits.Reshape(-1, Vocabulary), batch.Targets.Reshape(-1)); // (B·T, V) vs (B·T)
    }

    public TrainableModel<LmBatch> AsTrainable() => new(Weights, Loss);

    public TrainableModel<LmBatch> AsTrainable(Func<LmBatch, Tensor> loss) => new(Weights, loss);

    /// <summary>A cyclic token stream 0, 1, …, V−1, 0, 1, … of <paramref name="length"/> tokens with a few perturbations.</summary>
    public static int[] Stream(int length, int vocabulary = 8)
    {
        var tokens = new int[length];
        for (var i = 0; i < length; i++)
        {
            tokens[i] = i % 7 == 3 ? (i * 5) % vocabulary : i % vocabulary;
        }

        return tokens;
    }
}
