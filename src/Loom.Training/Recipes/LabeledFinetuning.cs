// What the classification and token-classification runs share: the settings, the start, the label set, the model, its
// parameters, the example counts and the parameters that were not loaded from the pretrained folder.
using Loom.Core;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A prepared fine-tuning run of a <typeparamref name="TModel"/> whose examples carry labels of one label set.</summary>
public abstract class LabeledFinetuning<TModel>
{
    private protected LabeledFinetuning(FinetuneConfig config, PretrainedStart start, IReadOnlyList<string> labels, Weights weights,
        TModel model, int trainExamples, int validationExamples, IReadOnlyList<string> freshParameters)
    {
        ArgumentNullException.ThrowIfNull(weights);
        (Config, Start, Labels, Model, TrainExamples, ValidationExamples, FreshParameters) =
            (config, start, labels, model, trainExamples, validationExamples, freshParameters);
        Parameters = weights.Parameters;
    }

    /// <summary>The settings.</summary>
    public FinetuneConfig Config { get; }

    /// <summary>Config and vocabulary of the model.</summary>
    public PretrainedStart Start { get; }

    /// <summary>Labels in id order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The model.</summary>
    public TModel Model { get; }

    /// <summary>Every parameter of the model, by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>The trainer (call <see cref="Trainer{TBatch}.Resume"/> before training to continue a run).</summary>
    public abstract Trainer<TrainingBatch> Trainer { get; }

    /// <summary>Training examples.</summary>
    public int TrainExamples { get; }

    /// <summary>Validation examples.</summary>
    public int ValidationExamples { get; }

    /// <summary>Parameters not loaded from the pretrained folder (all of them for a fresh model).</summary>
    public IReadOnlyList<string> FreshParameters { get; }
}
