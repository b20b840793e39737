// Masked-LM pretraining of a small BERT (Devlin et al. 2019 §3.1) with RoBERTa's dynamic masking: every batch is
// masked afresh by MaskedLmCollator (15 %, 80 % [MASK] / 10 % random / 10 % kept). No next-sentence task (RoBERTa
// found it unnecessary), so the pooler stays untrained here.
using Loom.Core;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training;
using Loom.Training.Objectives;

namespace Loom.Examples.SentimentBert;

/// <summary>Pretrains <see cref="BertForMaskedLm"/> on unlabelled text.</summary>
public static class MaskedLmPretraining
{
    /// <summary>Trains a fresh model and returns its weights (names under <c>bert.</c> fit any BERT head).</summary>
    public static Weights Run(BertConfig config, IReadOnlyList<int[]> sequences, SentimentBertOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var weights = Weights.Initialize(new Generator(options.Seed));
        var model = new BertForMaskedLm(weights, config);
        var (train, validation) = Loom.Training.Data.DataSplit.TrainValidation(sequences, 0.02, options.Seed);
        var source = new ShuffledBatchSource<int[], TrainingBatch>(train, options.PretrainBatchSize, options.Seed,
            (rows, generator) => Collator(config, generator).Collate(rows), batch => batch.InputIds.Count);
        // The held-out masks are drawn once, so every evaluation scores the same positions.
        var evalCollator = Collator(config, new Generator(options.Seed + 7));
        var evalBatches = validation.Chunk(options.PretrainBatchSize).Select(rows => evalCollator.Collate(rows)).ToList();
        var trainable = new TrainableModel<TrainingBatch>(weights, batch => model.Forward(batch.InputIds, batch.AttentionMask, labels: batch.Labels).Loss!);
        var trainer = new Trainer<TrainingBatch>(trainable, source, new TrainerOptions
        {
            MaxSteps = options.PretrainSteps,
            LearningRate = options.PretrainLearningRate,
            WarmupSteps = options.PretrainSteps / 10,
            MinLearningRateFraction = 0.1,
            WeightDecay = 0.01,
            EvalEvery = Math.Max(1, options.PretrainSteps / 3),
        }, evalBatches)
        {
            Progress = new InlineProgress<TrainingProgress>(p => ReportProgress("mlm", p, log)),
        };
        log.WriteLine($"mlm: {train.Count:N0} training sequences, {validation.Count} held out; {weights.Parameters.Sum(p => (long)p.Value.Count):N0} parameters");
        log.WriteLine($"mlm: held-out loss before training {trainer.Evaluate()["eval_loss"]:F4}");
        trainer.Train();
        return weights;
    }

    /// <summary>Writes a line every 25 steps and at every evaluation.</summary>
    public static void ReportProgress(string stage, TrainingProgress p, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(log);
        var eval = p.Metrics is { } m && m.TryGetValue("eval_loss", out var loss) ? $"  held-out loss {loss:F4}" : "";
        if (eval.Length > 0 || p.Step % 25 == 0)
        {
            log.WriteLine($"{stage}: step {p.Step,4}/{p.MaxSteps}  loss {p.Loss:F4}{eval}  {p.TokensPerSecond:F0} tokens/s  elapsed {p.Elapsed:mm\\:ss}  eta {p.Eta:mm\\:ss}");
        }
    }

    private static MaskedLmCollator Collator(BertConfig config, Generator generator) =>
        new(config.VocabSize, CharacterTokenizer.MaskId, CharacterTokenizer.PadId, CharacterTokenizer.SpecialIds, generator);
}
