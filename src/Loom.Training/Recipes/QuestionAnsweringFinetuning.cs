// `loom train finetune qa`: a BERT with a span-extraction head (HF BertForQuestionAnswering: start and end logits per
// token, the mean of the two cross-entropies) trained on CMRC 2018 / SQuAD v1 JSON. A question becomes one or more
// windows [CLS] question [SEP] passage piece [SEP] (token types 0 then 1), character by character: a passage too long
// for block_size is split into pieces overlapping by doc_stride tokens (QaWindows, HF run_qa.py's semantics), and every
// window is a training example whose target is the first answer's span, or [CLS] when its piece does not hold it.
// Prediction takes the best span over all windows of a question (n_best_size start and end candidates per window, at
// most max_answer_length long, largest start + end logit). Every evaluation scores the validation questions with the CMRC 2018 script's definitions (Loom.Metrics
// Cmrc2018Evaluator: mixed segmentation, punctuation removed, best over the gold answers), reported on the 0–1 scale:
// eval_loss, "exact_match" and "f1".
using Loom.Core;
using Loom.Metrics.Qa;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training.Data;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A prepared extractive question-answering fine-tuning run.</summary>
public sealed class QuestionAnsweringFinetuning
{
    private readonly IReadOnlyList<IReadOnlyList<QaWindow>> _validation;

    private QuestionAnsweringFinetuning(FinetuneConfig config, PretrainedStart start, Weights weights, BertForQuestionAnswering model,
        IReadOnlyList<IReadOnlyList<QaWindow>> train, IReadOnlyList<IReadOnlyList<QaWindow>> validation, IReadOnlyList<string> freshParameters)
    {
        (Config, Start, Model, TrainExamples, _validation, FreshParameters) = (config, start, model, train.Count, validation, freshParameters);
        Parameters = weights.Parameters;
        IReadOnlyList<QaWindow> windows = [.. train.SelectMany(w => w)];
        TrainWindows = windows.Count;
        Trainer = BertFinetuning.CreateTrainer(config, weights, Loss, windows, Collate, batch => batch.Inputs.InputIds.Count, Evaluate);
    }

    /// <summary>The settings.</summary>
    public FinetuneConfig Config { get; }

    /// <summary>Config and vocabulary of the model.</summary>
    public PretrainedStart Start { get; }

    /// <summary>The model.</summary>
    public BertForQuestionAnswering Model { get; }

    /// <summary>Every parameter of the model, by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>The trainer (call <see cref="Trainer{TBatch}.Resume"/> before training to continue a run).</summary>
    public Trainer<QaBatch> Trainer { get; }

    /// <summary>Training questions.</summary>
    public int TrainExamples { get; }

    /// <summary>Training windows (the examples the trainer batches: one or more per question).</summary>
    public int TrainWindows { get; }

    /// <summary>Validation questions.</summary>
    public int ValidationExamples => _validation.Count;

    /// <summary>Parameters not loaded from the pretrained folder (all of them for a fresh model).</summary>
    public IReadOnlyList<string> FreshParameters { get; }

    /// <summary>Reads the data, builds or loads the model and the trainer, and writes config.json and vocab.json.</summary>
    public static QuestionAnsweringFinetuning Create(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var (train, validation) = BertFinetuning.Split(config, path => File.Exists(path) ? CmrcReader.Read(path)
            : throw new FileNotFoundException($"Data file '{path}' does not exist.", path));
        var (start, bertConfig) = BertFinetuning.Start(config, () => train.SelectMany(e => new[] { e.Question, e.Context }), "BertForQuestionAnswering", labels: null);
        var (weights, model, fresh) = BertFinetuning.Build(config, start, w => new BertForQuestionAnswering(w, bertConfig));
        IReadOnlyList<QaWindow> Split(QaExample e) => QaWindows.Split(e, start.Vocabulary, config.Shared.BlockSize, config.DocStride);
        return new QuestionAnsweringFinetuning(config, start, weights, model, [.. train.Select(Split)], [.. validation.Select(Split)], fresh);
    }

    /// <summary>Mean of the start and end cross-entropies.</summary>
    public Tensor Loss(QaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var inputs = batch.Inputs;
        return Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds, batch.StartPositions, batch.EndPositions).Loss!;
    }

    /// <summary>
    /// eval_loss (over windows), exact match and F1 (over questions, each answered from all its windows) of the validation
    /// questions (called by the trainer).
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var (questions, predictions) = (new List<QaQuestion>(), new Dictionary<string, string>(StringComparer.Ordinal));
        var (lossSum, count) = (0d, 0);
        foreach (var group in BertFinetuning.EvaluationBatches(Config, _validation))
        {
            var scored = new List<(QaWindow Window, float[] StartLogits, float[] EndLogits)>();
            foreach (var windows in group.SelectMany(w => w).Chunk(Config.Shared.BatchSize))
            {
                var batch = Collate(windows);
                var inputs = batch.Inputs;
                var output = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds, batch.StartPositions, batch.EndPositions);
                var (starts, ends) = (output.StartLogits.ToArray(), output.EndLogits.ToArray()); // (B, T) each
                lossSum += output.Loss!.Item() * windows.Length;
                count += windows.Length;
                var t = inputs.Length;
                scored.AddRange(windows.Select((w, b) => (w, starts[(b * t)..((b + 1) * t)], ends[(b * t)..((b + 1) * t)])));
            }

            foreach (var windows in scored.GroupBy(s => s.Window.Source))
            {
                questions.Add(new QaQuestion(windows.Key.Id, windows.Key.Answers));
                predictions[windows.Key.Id] = QaWindows.BestAnswer([.. windows], Config.MaxAnswerLength, Config.NBestSize);
            }
        }

        var result = Cmrc2018Evaluator.Evaluate(questions, predictions);
        return new Dictionary<string, double> { ["eval_loss"] = lossSum / count, ["exact_match"] = result.ExactMatch / 100d, ["f1"] = result.F1 / 100d };
    }

    private QaBatch Collate(IReadOnlyList<QaWindow> windows)
    {
        var rows = windows.Select(w => w.Ids).ToArray();
        var inputs = new TrainingBatch
        {
            InputIds = BatchPadding.Pad(rows, Start.Vocabulary.Id("[PAD]")),
            AttentionMask = BatchPadding.Mask(rows),
            TokenTypeIds = BatchPadding.Pad([.. windows.Select(w => w.TypeIds)], 0),
        };
        return new QaBatch(inputs, IntTensor.FromArray([.. windows.Select(w => w.Start)], windows.Count),
            IntTensor.FromArray([.. windows.Select(w => w.End)], windows.Count));
    }
}
