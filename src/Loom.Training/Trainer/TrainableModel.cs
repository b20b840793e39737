using Loom.Core;
using Loom.Nn;

namespace Loom.Training;

/// <summary>
/// Adapts any model built on a <see cref="Weights"/> tree to <see cref="ITrainableModel{TBatch}"/>: the parameters,
/// mode and generator come from the tree, the loss from a delegate.
/// </summary>
/// <typeparam name="TBatch">The batch type the loss consumes.</typeparam>
public sealed class TrainableModel<TBatch> : ITrainableModel<TBatch>
{
    private readonly Weights _weights;
    private readonly Func<TBatch, Tensor> _loss;

    /// <summary>Creates the adapter; <paramref name="loss"/> runs the model on a batch and returns its mean loss.</summary>
    public TrainableModel(Weights weights, Func<TBatch, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(loss);
        (_weights, _loss) = (weights, loss);
    }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <inheritdoc/>
    public bool Training
    {
        get => _weights.Training;
        set => _weights.Training = value;
    }

    /// <inheritdoc/>
    public Generator Generator => _weights.Generator;

    /// <inheritdoc/>
    public Tensor Loss(TBatch batch) => _loss(batch);
}
