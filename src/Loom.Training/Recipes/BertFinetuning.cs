// What every `loom train finetune` task shares: the train / validation split, the BERT config and vocabulary (fresh or
// pretrained, with the task head's keys), the model weights loaded from the pretrained folder, [CLS] … [SEP] rows, and a
// Trainer whose evaluation is one metric callback over the validation examples (eval_loss and the task's metrics from
// the same forward passes).
using System.Text.Json.Nodes;
using Loom.Core;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training.Data;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>Helpers of the BERT fine-tuning recipes.</summary>
public static class BertFinetuning
{
    /// <summary>The special tokens of a fresh vocabulary, in id order (those of `loom train pretrain mlm`).</summary>
    public static IReadOnlyList<string> SpecialTokens => MlmPretraining.SpecialTokens;

    /// <summary>Training and validation examples: the validation file when set, else a seeded validation_fraction of the training file.</summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Validation) Split<T>(FinetuneConfig config, Func<string, IReadOnlyList<T>> read)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(read);
        var all = read(config.Shared.Text);
        var (train, validation) = config.Validation.Length > 0 ? (all, read(config.Validation))
            : DataSplit.TrainValidation(all, config.Shared.ValidationFraction, config.Shared.Seed);
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException($"Setting 'train': {train.Count} training and {validation.Count} validation examples; expected at least one of each.");
        }

        return (train, validation);
    }

    /// <summary>
    /// The label set: the distinct labels of the training data in ordinal order. Throws naming the setting when there are
    /// fewer than <paramref name="minimum"/> or the validation data has a label the training data never shows.
    /// </summary>
    public static IReadOnlyList<string> Labels(IEnumerable<string> train, IEnumerable<string> validation, string field, int minimum)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var labels = train.Distinct().Order(StringComparer.Ordinal).ToList();
        if (labels.Count < minimum)
        {
            throw new ArgumentException($"Setting 'train': expected at least {minimum} labels in '{field}'; found {labels.Count}.");
        }

        var unseen = validation.Where(l => !labels.Contains(l)).Distinct().ToList();
        if (unseen.Count > 0)
        {
            throw new ArgumentException($"Setting 'validation': label{(unseen.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unseen.Select(l => $"'{l}'"))} never occur in the training data.");
        }

        return labels;
    }

    /// <summary>HF BERT config.json keys of a fresh model of the shared settings' size over <paramref name="vocabSize"/> tokens.</summary>
    public static JsonObject FreshConfig(ClmPretrainingConfig shared, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(shared);
        return new JsonObject
        {
            ["model_type"] = "bert",
            ["vocab_size"] = vocabSize,
            ["hidden_size"] = shared.Width,
            ["num_hidden_layers"] = shared.Layers,
            ["num_attention_heads"] = shared.Heads,
            ["intermediate_size"] = 4 * shared.Width,
            ["max_position_embeddings"] = shared.BlockSize,
            ["hidden_dropout_prob"] = 0,
            ["attention_probs_dropout_prob"] = 0,
        };
    }

    /// <summary>
    /// The start of a fine-tuning run: the pretrained folder's, or a fresh BERT over the characters of <paramref name="texts"/>;
    /// its config gets <paramref name="architecture"/> and, when given, id2label / label2id of <paramref name="labels"/>.
    /// </summary>
    public static (PretrainedStart Start, BertConfig Config) Start(FinetuneConfig config, Func<IEnumerable<string>> texts, string architecture,
        IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(texts);
        PretrainedStart start;
        if (config.Model.Length > 0)
        {
            start = PretrainedStart.FromFolder(config.Model);
        }
        else
        {
            var vocabulary = TokenVocabulary.FromTexts(SpecialTokens, texts());
            start = PretrainedStart.Fresh(FreshConfig(config.Shared, vocabulary.Count), vocabulary);
        }

        start.Config["architectures"] = new JsonArray(architecture);
        if (labels is not null)
        {
            start.Config["id2label"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)l)));
            start.Config["label2id"] = new JsonObject(labels.Select((l, i) => KeyValuePair.Create(l, (JsonNode?)i)));
        }

        var bert = start.Bind<BertConfig>();
        bert.Validate();
        if (bert.VocabSize != start.Vocabulary.Count)
        {
            throw new ArgumentException($"Setting 'model': config.json has vocab_size {bert.VocabSize} but vocab.json holds {start.Vocabulary.Count} tokens.");
        }

        if (config.Shared.BlockSize > bert.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"Setting 'block_size': expected at most the model's max_position_embeddings ({bert.MaxPositionEmbeddings}); found {config.Shared.BlockSize}.");
        }

        return (start, bert);
    }

    /// <summary>Each label's id: its index in <paramref name="labels"/>.</summary>
    public static IReadOnlyDictionary<string, int> LabelIds(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The model <paramref name="create"/> builds on weights initialized from the seed, loaded from the start's pretrained
    /// weights where it has them, and the names of the parameters it had none for; writes config.json and vocab.json.
    /// </summary>
    public static (Weights Weights, TModel Model, IReadOnlyList<string> FreshParameters) Build<TModel>(FinetuneConfig config,
        PretrainedStart start, Func<Weights, TModel> create)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(create);
        var weights = Weights.Initialize(new Generator(config.Shared.Seed));
        var model = create(weights);
        var fresh = start.LoadInto(weights.Parameters);
        start.Save(config.Shared.Output);
        return (weights, model, fresh);
    }

    /// <summary>[CLS] ids [SEP], the ids cut to fit <paramref name="maxLength"/>.</summary>
    public static int[] Row(ReadOnlySpan<int> ids, TokenVocabulary vocabulary, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return [vocabulary.Id("[CLS]"), .. ids[..Math.Min(ids.Length, maxLength - 2)], vocabulary.Id("[SEP]")];
    }

    /// <summary>
    /// The trainer: shuffled batches of <paramref name="train"/> collated by <paramref name="collate"/> (tokens counted
    /// by <paramref name="tokenCount"/>), and one evaluation callback <paramref name="evaluate"/> (eval_loss and the task metrics).
    /// </summary>
    public static Trainer<TBatch> CreateTrainer<TItem, TBatch>(FinetuneConfig config, Weights weights, Func<TBatch, Tensor> loss,
        IReadOnlyList<TItem> train, Func<IReadOnlyList<TItem>, TBatch> collate, Func<TBatch, long> tokenCount,
        Func<IReadOnlyDictionary<string, double>> evaluate)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(evaluate);
        var source = new ShuffledBatchSource<TItem, TBatch>(train, config.Shared.BatchSize, config.Shared.Seed + 1, (items, _) => collate(items), tokenCount);
        var trainer = new Trainer<TBatch>(new TrainableModel<TBatch>(weights, loss), source, config.ToTrainerOptions());
        trainer.MetricCallbacks.Add(_ => evaluate());
        return trainer;
    }

    /// <summary>The examples the evaluation reads: the first eval_batches × batch_size of the validation set.</summary>
    public static IEnumerable<TItem[]> EvaluationBatches<TItem>(FinetuneConfig config, IReadOnlyList<TItem> validation)
    {
        ArgumentNullException.ThrowIfNull(config);
        return validation.Chunk(config.Shared.BatchSize).Take(config.Shared.EvalBatches);
    }

    /// <summary>Index of the largest of <paramref name="count"/> values starting at <paramref name="offset"/> (the first on ties).</summary>
    public static int ArgMax(float[] values, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        var best = 0;
        for (var i = 1; i < count; i++)
        {
            if (values[offset + i] > values[offset + best])
            {
                best = i;
            }
        }

        return best;
    }
}
