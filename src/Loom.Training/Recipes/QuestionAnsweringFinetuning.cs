// `loom train finetune qa`: a BERT with a span-extraction head (HF BertForQuestionAnswering: start and end logits per
// token, the mean of the two cross-entropies) trained on CMRC 2018 / SQuAD v1 JSON. An example is [CLS] question [SEP]
// passage [SEP] (token types 0 then 1), character by character; the passage is cut to fit block_size (the question to at
// most half of it). The first answer gives the target span; an answer cut off points at [CLS], as in HF's
// run_qa.py. Prediction takes the passage span s ≤ e, at most max_answer_length long, with the largest start + end
// logit. Every evaluation scores the validation questions with the CMRC 2018 script's definitions (Loom.Metrics
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
    private readonly IReadOnlyList<Encoded> _validation;

    private QuestionAnsweringFinetuning(FinetuneConfig config, PretrainedStart start, Weights weights, BertForQuestionAnswering model,
        IReadOnlyList<Encoded> train, IReadOnlyList<Encoded> validation, IReadOnlyList<string> freshParameters)
    {
        (Config, Start, Model, TrainExamples, _validation, FreshParameters) = (config, start, model, train.Count, validation, freshParameters);
        Parameters = weights.Parameters;
        Trainer = BertFinetuning.CreateTrainer(config, weights, Loss, train, Collate, batch => batch.Inputs.InputIds.Count, Evaluate);
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
        Encoded Encode(QaExample e) => Encoded.From(e, start.Vocabulary, config.Shared.BlockSize);
        return new QuestionAnsweringFinetuning(config, start, weights, model, [.. train.Select(Encode)], [.. validation.Select(Encode)], fresh);
    }

    /// <summary>Mean of the start and end cross-entropies.</summary>
    public Tensor Loss(QaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var inputs = batch.Inputs;
        return Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds, batch.StartPositions, batch.EndPositions).Loss!;
    }

    /// <summary>eval_loss, exact match and F1 over the validation questions (called by the trainer).</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var (questions, predictions) = (new List<QaQuestion>(), new Dictionary<string, string>(StringComparer.Ordinal));
        var (lossSum, count) = (0d, 0);
        foreach (var examples in BertFinetuning.EvaluationBatches(Config, _validation))
        {
            var batch = Collate(examples);
            var inputs = batch.Inputs;
            var output = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds, batch.StartPositions, batch.EndPositions);
            var (starts, ends) = (output.StartLogits.ToArray(), output.EndLogits.ToArray()); // (B, T) each
            lossSum += output.Loss!.Item() * examples.Length;
            count += examples.Length;
            for (var b = 0; b < examples.Length; b++)
            {
                var example = examples[b];
                questions.Add(new QaQuestion(example.Source.Id, example.Source.Answers));
                predictions[example.Source.Id] = example.Answer(starts.AsSpan(b * inputs.Length, inputs.Length), ends.AsSpan(b * inputs.Length, inputs.Length), Config.MaxAnswerLength);
            }
        }

        var result = Cmrc2018Evaluator.Evaluate(questions, predictions);
        return new Dictionary<string, double> { ["eval_loss"] = lossSum / count, ["exact_match"] = result.ExactMatch / 100d, ["f1"] = result.F1 / 100d };
    }

    private QaBatch Collate(IReadOnlyList<Encoded> examples)
    {
        var rows = examples.Select(e => e.Ids).ToArray();
        var inputs = new TrainingBatch
        {
            InputIds = BatchPadding.Pad(rows, Start.Vocabulary.Id("[PAD]")),
            AttentionMask = BatchPadding.Mask(rows),
            TokenTypeIds = BatchPadding.Pad([.. examples.Select(e => e.TypeIds)], 0),
        };
        return new QaBatch(inputs, IntTensor.FromArray([.. examples.Select(e => e.Start)], examples.Count),
            IntTensor.FromArray([.. examples.Select(e => e.End)], examples.Count));
    }

    // One encoded question: ids and token types, the target span (0, 0 = [CLS] when the answer was cut off), where the
    // passage starts in the ids and the passage characters' offsets in the context.
    private sealed record Encoded(QaExample Source, int[] Ids, int[] TypeIds, int Start, int End, int PassageStart, (int Start, int End)[] Offsets)
    {
        public static Encoded From(QaExample example, TokenVocabulary vocabulary, int maxLength)
        {
            var unknown = vocabulary.Id("[UNK]");
            var question = vocabulary.Encode(example.Question, unknown).Ids;
            question = question[..Math.Min(question.Length, (maxLength - 3) / 2)];
            var (passage, offsets) = vocabulary.Encode(example.Context, unknown);
            var kept = Math.Min(passage.Length, maxLength - 3 - question.Length);
            (passage, offsets) = (passage[..kept], offsets[..kept]);
            var passageStart = question.Length + 2;
            var (start, end) = (0, 0);
            if (example.Answers.Count > 0 && example.AnswerStarts.Count > 0)
            {
                var (first, last) = (example.AnswerStarts[0], example.AnswerStarts[0] + example.Answers[0].Length);
                var s = Array.FindIndex(offsets, o => o.Start <= first && first < o.End);
                var e = Array.FindLastIndex(offsets, o => o.Start < last && last <= o.End);
                if (s >= 0 && e >= s)
                {
                    (start, end) = (passageStart + s, passageStart + e);
                }
            }

            int[] ids = [vocabulary.Id("[CLS]"), .. question, vocabulary.Id("[SEP]"), .. passage, vocabulary.Id("[SEP]")];
            int[] types = [.. Enumerable.Repeat(0, passageStart), .. Enumerable.Repeat(1, kept + 1)];
            return new Encoded(example, ids, types, start, end, passageStart, offsets);
        }

        // The passage span with the largest start + end logit, at most maxAnswer characters, as text of the context.
        public string Answer(ReadOnlySpan<float> startLogits, ReadOnlySpan<float> endLogits, int maxAnswer)
        {
            var (best, bestStart, bestEnd) = (float.NegativeInfinity, -1, -1);
            for (var s = 0; s < Offsets.Length; s++)
            {
                for (var e = s; e < Math.Min(Offsets.Length, s + maxAnswer); e++)
                {
                    var score = startLogits[PassageStart + s] + endLogits[PassageStart + e];
                    if (score > best)
                    {
                        (best, bestStart, bestEnd) = (score, s, e);
                    }
                }
            }

            return bestStart < 0 ? string.Empty : Source.Context[Offsets[bestStart].Start..Offsets[bestEnd].End];
        }
    }
}
