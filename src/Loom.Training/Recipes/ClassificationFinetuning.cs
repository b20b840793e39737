// `loom train finetune classification`: a BERT with a sequence-classification head (HF BertForSequenceClassification:
// a linear layer on the pooled [CLS] state, cross-entropy) trained on texts with one label each, e.g. waimai_10k or
// ChnSentiCorp (label,review CSV; text_field: review). Labels are the distinct label texts of the training data in
// ordinal order (id2label in config.json). Every evaluation scores the validation examples: eval_loss, accuracy and
// macro-F1 ("f1") with scikit-learn's definitions (Loom.Metrics ClassificationMetrics).
using Loom.Core;
using Loom.Metrics.Classification;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A prepared sequence-classification fine-tuning run.</summary>
public sealed class ClassificationFinetuning : LabeledFinetuning<BertForSequenceClassification>
{
    private readonly IReadOnlyList<(int[] Ids, int Label)> _validation;

    private ClassificationFinetuning(FinetuneConfig config, PretrainedStart start, IReadOnlyList<string> labels, Weights weights,
        BertForSequenceClassification model, IReadOnlyList<(int[] Ids, int Label)> train, IReadOnlyList<(int[] Ids, int Label)> validation,
        IReadOnlyList<string> freshParameters)
        : base(config, start, labels, weights, model, train.Count, validation.Count, freshParameters)
    {
        _validation = validation;
        Trainer = BertFinetuning.CreateTrainer(config, weights, Loss, train, Collate, batch => batch.InputIds.Count, Evaluate);
    }

    /// <inheritdoc/>
    public override Trainer<TrainingBatch> Trainer { get; }

    /// <summary>Reads the data, builds or loads the model and the trainer, and writes config.json and vocab.json.</summary>
    public static ClassificationFinetuning Create(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var (train, validation) = BertFinetuning.Split(config, path => FinetuneRecords.ReadLabeled(path, config.TextField, config.LabelField));
        var labels = BertFinetuning.Labels(train.Select(e => e.Label), validation.Select(e => e.Label), config.LabelField, minimum: 2);
        var labelIds = BertFinetuning.LabelIds(labels);
        var (start, bertConfig) = BertFinetuning.Start(config, () => train.Select(e => e.Text), "BertForSequenceClassification", labels);
        var (weights, model, fresh) = BertFinetuning.Build(config, start, w => new BertForSequenceClassification(w, bertConfig));
        (int[], int) Encode((string Text, string Label) e) =>
            (BertFinetuning.Row(start.Vocabulary.Encode(e.Text, start.Vocabulary.Id("[UNK]")).Ids, start.Vocabulary, config.Shared.BlockSize), labelIds[e.Label]);
        return new ClassificationFinetuning(config, start, labels, weights, model, [.. train.Select(Encode)], [.. validation.Select(Encode)], fresh);
    }

    /// <summary>Mean cross-entropy of the class logits.</summary>
    public Tensor Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Model.Forward(batch.InputIds, batch.AttentionMask, classIds: batch.SentenceLabels).Loss!; // logits (B, N) vs labels (B)
    }

    /// <summary>eval_loss, accuracy and macro-F1 over the validation examples (model in eval mode, gradients off: called by the trainer).</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var (truth, predicted) = (new List<string>(), new List<string>());
        var (lossSum, count) = (0d, 0);
        foreach (var examples in BertFinetuning.EvaluationBatches(Config, _validation))
        {
            var batch = Collate(examples);
            var output = Model.Forward(batch.InputIds, batch.AttentionMask, classIds: batch.SentenceLabels);
            var logits = output.Logits.ToArray(); // (B, N)
            lossSum += output.Loss!.Item() * examples.Length;
            count += examples.Length;
            for (var b = 0; b < examples.Length; b++)
            {
                truth.Add(Labels[examples[b].Label]);
                predicted.Add(Labels[BertFinetuning.ArgMax(logits, b * Labels.Count, Labels.Count)]);
            }
        }

        var report = ClassificationMetrics.Evaluate(truth, predicted, Labels);
        return new Dictionary<string, double> { ["eval_loss"] = lossSum / count, ["accuracy"] = report.Accuracy, ["f1"] = report.Macro.F1 };
    }

    private TrainingBatch Collate(IReadOnlyList<(int[] Ids, int Label)> examples)
    {
        var rows = examples.Select(e => e.Ids).ToArray();
        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(rows, Start.Vocabulary.Id("[PAD]")),
            AttentionMask = BatchPadding.Mask(rows),
            SentenceLabels = IntTensor.FromArray([.. examples.Select(e => e.Label)], examples.Count),
        };
    }
}
