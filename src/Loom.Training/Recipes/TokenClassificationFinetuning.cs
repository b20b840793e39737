// `loom train finetune token-classification`: a BERT with a token-classification head (HF BertForTokenClassification: a
// linear layer on every final state, cross-entropy with −100 ignored) trained on sequences of words with one tag each
// (JSON Lines: text_field "tokens", label_field "tags"; the CoNLL-2003 sample names them "words" and "ner"). Each word is
// encoded character by character; as HF's run_ner does (label_all_tokens=False) only a word's first character carries
// its tag and the rest are −100. Words of one character each (Chinese) are concatenated; otherwise a space separates
// words. A word cut off by block_size is predicted "O". Every evaluation scores the validation words with seqeval's
// definitions (Loom.Metrics SequenceLabelingEvaluator, CoNLL chunking): eval_loss, micro entity "precision", "recall",
// "f1" and tag "accuracy".
using Loom.Core;
using Loom.Metrics.SequenceLabeling;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A prepared token-classification (NER) fine-tuning run.</summary>
public sealed class TokenClassificationFinetuning : LabeledFinetuning<BertForTokenClassification>
{
    private readonly IReadOnlyList<Tagged> _validation;

    private TokenClassificationFinetuning(FinetuneConfig config, PretrainedStart start, IReadOnlyList<string> labels, Weights weights,
        BertForTokenClassification model, IReadOnlyList<Tagged> train, IReadOnlyList<Tagged> validation, IReadOnlyList<string> freshParameters)
        : base(config, start, labels, weights, model, train.Count, validation.Count, freshParameters)
    {
        _validation = validation;
        Trainer = BertFinetuning.CreateTrainer(config, weights, Loss, train, Collate, batch => batch.InputIds.Count, Evaluate);
    }

    /// <inheritdoc/>
    public override Trainer<TrainingBatch> Trainer { get; }

    /// <summary>Reads the data, builds or loads the model and the trainer, and writes config.json and vocab.json.</summary>
    public static TokenClassificationFinetuning Create(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var (train, validation) = BertFinetuning.Split(config, path => FinetuneRecords.ReadTagged(path, config.TextField, config.LabelField));
        var labels = BertFinetuning.Labels(train.SelectMany(e => e.Tags), validation.SelectMany(e => e.Tags), config.LabelField, minimum: 2);
        var labelIds = BertFinetuning.LabelIds(labels);
        var (start, bertConfig) = BertFinetuning.Start(config, () => train.SelectMany(e => e.Tokens).Append(" "), "BertForTokenClassification", labels);
        var (weights, model, fresh) = BertFinetuning.Build(config, start, w => new BertForTokenClassification(w, bertConfig));
        Tagged Encode((string[] Tokens, string[] Tags) e) => Tagged.Encode(e.Tokens, e.Tags, labelIds, start.Vocabulary, config.Shared.BlockSize);
        return new TokenClassificationFinetuning(config, start, labels, weights, model, [.. train.Select(Encode)], [.. validation.Select(Encode)], fresh);
    }

    /// <summary>Mean cross-entropy of the tag logits at the labelled characters.</summary>
    public Tensor Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Model.Forward(batch.InputIds, batch.AttentionMask, labels: batch.Labels).Loss!; // logits (B, T, N) vs labels (B, T)
    }

    /// <summary>eval_loss, entity precision / recall / F1 and tag accuracy over the validation words (called by the trainer).</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var (truth, predicted) = (new List<IReadOnlyList<string>>(), new List<IReadOnlyList<string>>());
        var (lossSum, count) = (0d, 0);
        foreach (var examples in BertFinetuning.EvaluationBatches(Config, _validation))
        {
            var batch = Collate(examples);
            var output = Model.Forward(batch.InputIds, batch.AttentionMask, labels: batch.Labels);
            var logits = output.Logits.ToArray(); // (B, T, N)
            lossSum += output.Loss!.Item() * examples.Length;
            count += examples.Length;
            for (var b = 0; b < examples.Length; b++)
            {
                var row = b * batch.Length;
                truth.Add(examples[b].Tags);
                predicted.Add([.. examples[b].WordStarts.Select(t => t < 0 ? "O" : Labels[BertFinetuning.ArgMax(logits, (row + t) * Labels.Count, Labels.Count)])]);
            }
        }

        var scores = new SequenceLabelingEvaluator().Score(truth, predicted, ChunkAverage.Micro);
        return new Dictionary<string, double>
        {
            ["eval_loss"] = lossSum / count,
            ["precision"] = scores.Precision,
            ["recall"] = scores.Recall,
            ["f1"] = scores.F1,
            ["accuracy"] = SequenceLabelingEvaluator.Accuracy(truth, predicted),
        };
    }

    private TrainingBatch Collate(IReadOnlyList<Tagged> examples)
    {
        var rows = examples.Select(e => e.Ids).ToArray();
        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(rows, Start.Vocabulary.Id("[PAD]")),
            AttentionMask = BatchPadding.Mask(rows),
            Labels = BatchPadding.Pad([.. examples.Select(e => e.Labels)], TrainingBatch.IgnoreIndex),
        };
    }

    // One encoded sequence: ids [CLS] … [SEP], the tag id at each word's first character (−100 elsewhere), where each word
    // starts (−1 when cut off) and the word tags.
    private sealed record Tagged(int[] Ids, int[] Labels, int[] WordStarts, string[] Tags)
    {
        public static Tagged Encode(string[] words, string[] tags, IReadOnlyDictionary<string, int> labelIds, TokenVocabulary vocabulary, int maxLength)
        {
            var unknown = vocabulary.Id("[UNK]");
            var separate = words.Any(w => w.Length > 1);
            var (ids, labels) = (new List<int> { vocabulary.Id("[CLS]") }, new List<int> { TrainingBatch.IgnoreIndex });
            var starts = new int[words.Length];
            for (var w = 0; w < words.Length; w++)
            {
                if (separate && w > 0)
                {
                    ids.Add(vocabulary.Encode(" ", unknown).Ids[0]);
                    labels.Add(TrainingBatch.IgnoreIndex);
                }

                var characters = vocabulary.Encode(words[w], unknown).Ids;
                starts[w] = characters.Length > 0 ? ids.Count : -1;
                ids.AddRange(characters);
                labels.AddRange(characters.Select((_, i) => i == 0 ? labelIds[tags[w]] : TrainingBatch.IgnoreIndex));
            }

            var kept = Math.Min(ids.Count, maxLength - 1);
            return new Tagged([.. ids.Take(kept), vocabulary.Id("[SEP]")], [.. labels.Take(kept), TrainingBatch.IgnoreIndex],
                [.. starts.Select(s => s < kept ? s : -1)], tags);
        }
    }
}
