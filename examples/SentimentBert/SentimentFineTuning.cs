// Fine-tuning for sequence classification (Devlin et al. 2019 §4.1): a linear layer on the pooled [CLS] state,
// cross-entropy over the two classes, every weight trained. The same recipe runs from the pretrained encoder and from
// a random initialisation, so the difference in the held-out scores is what pretraining bought.
using Loom.Core;
using Loom.Metrics.Classification;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training;
using Loom.Training.Objectives;

namespace Loom.Examples.SentimentBert;

/// <summary>Fine-tunes <see cref="BertForSequenceClassification"/> on labelled reviews and scores it on held-out ones.</summary>
public static class SentimentFineTuning
{
    /// <summary>
    /// Builds the classifier (random init from <paramref name="seed"/>), copies every <c>bert.*</c> parameter of
    /// <paramref name="pretrained"/> into it when given, trains (batch order from <paramref name="seed"/>), and returns
    /// the scores on <paramref name="test"/>.
    /// </summary>
    public static ClassificationReport Run(string stage, BertConfig config, IReadOnlyList<(int[] Ids, int Label)> train,
        IReadOnlyList<(int[] Ids, int Label)> test, Weights? pretrained, SentimentBertOptions options, ulong seed, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        var weights = Weights.Initialize(new Generator(seed));
        var model = new BertForSequenceClassification(weights, config);
        if (pretrained is not null)
        {
            log.WriteLine($"{stage}: copied {CopyEncoder(pretrained, weights)} pretrained encoder tensors");
        }

        var source = new ShuffledBatchSource<(int[] Ids, int Label), ReviewBatch>(train, options.FineTuneBatchSize, seed + 1,
            (rows, _) => Collate(rows), batch => batch.InputIds.Count);
        var trainable = new TrainableModel<ReviewBatch>(weights, batch => model.Forward(batch.InputIds, batch.AttentionMask, classIds: batch.Labels).Loss!);
        var trainer = new Trainer<ReviewBatch>(trainable, source, new TrainerOptions
        {
            MaxSteps = options.FineTuneSteps,
            LearningRate = options.FineTuneLearningRate,
            WarmupSteps = options.FineTuneSteps / 10,
            Schedule = ScheduleKind.Linear,
            WeightDecay = 0.01,
        })
        {
            Progress = new InlineProgress<TrainingProgress>(p => MaskedLmPretraining.ReportProgress(stage, p, log)),
        };
        trainer.Train();
        weights.Training = false;
        return Score(model, test, options.FineTuneBatchSize);
    }

    private static int CopyEncoder(Weights source, Weights target)
    {
        var sourceByName = source.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var copied = 0;
        foreach (var (name, tensor) in target.Parameters)
        {
            if (name.StartsWith("bert.", StringComparison.Ordinal) && sourceByName.TryGetValue(name, out var value))
            {
                if (!value.Shape.SequenceEqual(tensor.Shape))
                {
                    throw new InvalidOperationException($"Pretrained '{name}' has shape [{string.Join(", ", value.Shape)}]; the classifier expects [{string.Join(", ", tensor.Shape)}].");
                }

                value.AsSpan().CopyTo(tensor.AsSpan());
                copied++;
            }
        }

        return copied;
    }

    private static ReviewBatch Collate(IReadOnlyList<(int[] Ids, int Label)> rows)
    {
        var ids = rows.Select(r => r.Ids).ToList();
        return new ReviewBatch(BatchPadding.Pad(ids, CharacterTokenizer.PadId), BatchPadding.Mask(ids), // (B, T), (B, T)
            IntTensor.FromArray([.. rows.Select(r => r.Label)], rows.Count)); // (B)
    }

    private static ClassificationReport Score(BertForSequenceClassification model, IReadOnlyList<(int[] Ids, int Label)> test, int batchSize)
    {
        var predicted = new List<string>(test.Count);
        using (Tensor.NoGrad())
        {
            foreach (var chunk in test.Chunk(batchSize))
            {
                var batch = Collate(chunk);
                var logits = model.Forward(batch.InputIds, batch.AttentionMask).Logits.ToArray(); // (B, 2)
                for (var row = 0; row < chunk.Length; row++)
                {
                    predicted.Add(logits[(2 * row) + 1] > logits[2 * row] ? "1" : "0");
                }
            }
        }

        return ClassificationMetrics.Evaluate([.. test.Select(t => t.Label == 1 ? "1" : "0")], predicted);
    }
}
