// What the pretraining recipes share: the settings, the vocabulary, the model, the trainer and how many characters of
// the text file went to training and to validation.
namespace Loom.Training.Recipes;

/// <summary>A prepared pretraining run on one text file: model, data and trainer, ready to <see cref="Trainer{TBatch}.Train"/>.</summary>
public abstract class TextPretraining<TConfig, TVocabulary, TModel, TBatch>
{
    private protected TextPretraining(TConfig config, TVocabulary vocabulary, TModel model, Trainer<TBatch> trainer, int trainTokens, int validationTokens)
    {
        (Config, Vocabulary, Model, Trainer, TrainTokens, ValidationTokens) = (config, vocabulary, model, trainer, trainTokens, validationTokens);
    }

    /// <summary>The settings.</summary>
    public TConfig Config { get; }

    /// <summary>The vocabulary of the text.</summary>
    public TVocabulary Vocabulary { get; }

    /// <summary>The model.</summary>
    public TModel Model { get; }

    /// <summary>The trainer (call <see cref="Trainer{TBatch}.Resume"/> before training to continue a run).</summary>
    public Trainer<TBatch> Trainer { get; }

    /// <summary>Characters in the training data (those the rows hold where the recipe cuts rows).</summary>
    public int TrainTokens { get; }

    /// <summary>Characters in the validation data (those the rows hold where the recipe cuts rows).</summary>
    public int ValidationTokens { get; }
}
