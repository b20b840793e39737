using Loom.Core;

namespace Loom.Training;

/// <summary>
/// What the <see cref="Trainer{TBatch}"/> needs from a model, whatever its family: its named parameters, a scalar loss
/// for a batch, a train/eval switch and the generator its dropout draws from (saved with every checkpoint so a resumed
/// run draws the same masks).
/// </summary>
/// <typeparam name="TBatch">The batch type the loss consumes.</typeparam>
public interface ITrainableModel<in TBatch>
{
    /// <summary>Every trainable parameter with its unique dotted name, in a fixed order.</summary>
    IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>Training mode (dropout active) when true, evaluation mode when false.</summary>
    bool Training { get; set; }

    /// <summary>The generator behind the model's randomness (dropout).</summary>
    Generator Generator { get; }

    /// <summary>The mean loss over <paramref name="batch"/>: a one-element tensor connected to the parameters.</summary>
    Tensor Loss(TBatch batch);
}
