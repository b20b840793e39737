// Usage: dotnet run --project examples/MedicalReportSeq2Seq -c Release -- [--steps N] [--width N] [--layers N] [--batch N]
//   [--lr X] [--dropout X] [--label-smoothing X] [--overfit N]
// Trains a small Transformer encoder-decoder (BART architecture, random init, no pretraining) to write the diagnosis
// of a GAIIC 2023 CT report from its anonymised description, then scores greedy outputs on held-out reports with
// CIDEr-D (greedy) beside a constant baseline (the most frequent training diagnosis for every report).
using System.Diagnostics;
using System.Globalization;
using Loom.Core;
using Loom.Examples;
using Loom.Examples.MedicalReportSeq2Seq;
using Loom.Generation;
using Loom.Metrics.Captioning;
using Loom.Metrics.Cider;
using Loom.Models.Bart;
using Loom.Models.Seq2Seq;
using Loom.Nn;
using Loom.Training;
using Loom.Training.Objectives;

MedicalReportOptions options;
try
{
    var arguments = ExampleArguments.Parse(args, "--steps", "--width", "--layers", "--batch", "--lr", "--dropout", "--label-smoothing", "--overfit");
    var defaults = new MedicalReportOptions();
    options = defaults with
    {
        Steps = arguments.Int("--steps", defaults.Steps),
        Width = arguments.Int("--width", defaults.Width),
        Layers = arguments.Int("--layers", defaults.Layers),
        BatchSize = arguments.Int("--batch", defaults.BatchSize),
        LearningRate = arguments.Number("--lr", defaults.LearningRate),
        Dropout = arguments.Number("--dropout", defaults.Dropout),
        LabelSmoothing = arguments.Number("--label-smoothing", defaults.LabelSmoothing),
        Overfit = arguments.Int("--overfit", defaults.Overfit),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"medical-report-seq2seq: {e.Message}");
    return 2;
}

ReportCorpus corpus;
try
{
    corpus = ReportCorpus.Load(options.TestFraction, options.Seed);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"medical-report-seq2seq: {e.Message}");
    return 1;
}

var clock = Stopwatch.StartNew();
var config = new BartConfig
{
    VocabSize = corpus.Vocabulary.VocabSize,
    DModel = options.Width,
    EncoderLayers = options.Layers,
    DecoderLayers = options.Layers,
    EncoderHeads = options.Heads,
    DecoderHeads = options.Heads,
    EncoderFfnDim = 4 * options.Width,
    DecoderFfnDim = 4 * options.Width,
    MaxPositionEmbeddings = Math.Max(options.MaxSourceLength, options.MaxTargetLength),
    PadTokenId = ReportCorpus.PadId,
    DecoderStartTokenId = ReportCorpus.EosId,
    Dropout = (float)options.Dropout,
    AttentionDropout = (float)options.Dropout,
};
var weights = Weights.Initialize(new Generator(options.Seed));
var model = new BartForConditionalGeneration(weights, config);
var train = corpus.TrainReports.Select(r => Example(corpus, r, options)).ToList();
var test = corpus.TestReports.Select(r => Example(corpus, r, options)).ToList();
if (options.Overfit > 0)
{
    // Correctness check: a model that can learn the task at all must reproduce a few reports it was trained on.
    train = test = train.Take(options.Overfit).ToList();
    Console.WriteLine($"overfitting check: training on {train.Count} reports and scoring on the same reports");
}

Console.WriteLine($"medical-report-seq2seq: {train.Count:N0} training reports, {test.Count:N0} scored; vocabulary {config.VocabSize} ids (integer-id table from the training reports + 4 special)");
Console.WriteLine($"model: BART-style encoder-decoder, {options.Layers}+{options.Layers} layers, width {options.Width}, {options.Heads} heads, FFN {4 * options.Width}; {weights.Parameters.Sum(p => (long)p.Value.Count):N0} parameters; {options.Steps} steps of {options.BatchSize}, lr {options.LearningRate}, dropout {options.Dropout}, label smoothing {options.LabelSmoothing}");

var source = new ShuffledBatchSource<(int[] Source, int[] Target), TrainingBatch>(train, options.BatchSize, options.Seed,
    (rows, _) => Collate(rows), batch => batch.InputIds.Count + batch.Labels!.Count);
var evalBatches = test.Chunk(options.BatchSize).Select(Collate).ToList();
var trainable = new TrainableModel<TrainingBatch>(weights, batch => Loss(model, batch, weights.Training ? (float)options.LabelSmoothing : 0f));
var trainer = new Trainer<TrainingBatch>(trainable, source, new TrainerOptions
{
    MaxSteps = options.Steps,
    LearningRate = options.LearningRate,
    WarmupSteps = options.Steps / 10,
    MinLearningRateFraction = 0.1,
    WeightDecay = 0.01,
    EvalEvery = Math.Max(1, options.Steps / 4),
}, evalBatches)
{
    Progress = new InlineProgress<TrainingProgress>(Report),
};
trainer.Train();
Console.WriteLine($"training took {clock.Elapsed.TotalMinutes:F1} min");
// Does the model read the description? Score each diagnosis once after its own description, once after the next report's.
var ownSource = MeanLoss(model, evalBatches);
var otherSource = MeanLoss(model, [.. test.Select((t, i) => (test[(i + 1) % test.Count].Source, t.Target)).Chunk(options.BatchSize).Select(Collate)]);
Console.WriteLine($"held-out loss {ownSource:F4} with each report's own description, {otherSource:F4} with another report's");

var references = test.Select(t => corpus.Decode(t.Target)).ToList();
var commonest = train.GroupBy(t => corpus.Decode(t.Target)).OrderByDescending(g => g.Count()).First().Key;
var baseline = Cider(references, [.. references.Select(_ => commonest)]);
var hypotheses = Generate(model, test, options).Select(corpus.Decode).ToList();
var exact = hypotheses.Where((h, i) => h == references[i]).Count();
var scope = options.Overfit > 0 ? "training" : "held-out";
Console.WriteLine($"{scope} CIDEr-D over {test.Count} reports: constant baseline (most frequent training diagnosis) {baseline:F4}");
Console.WriteLine($"  model, greedy: CIDEr-D {Cider(references, hypotheses):F4}; {exact} of {test.Count} exactly right; {hypotheses.Distinct().Count()} distinct outputs");
for (var i = 0; i < 3; i++)
{
    Console.WriteLine($"  reference: {references[i]}\n  generated: {hypotheses[i]}");
}

Console.WriteLine($"total time {clock.Elapsed.TotalMinutes:F1} min");
return 0;

static double Cider(IReadOnlyList<string> references, IReadOnlyList<string> hypotheses) =>
    CiderScorer.Compute([.. references.Select((r, i) => new CaptionExample(i.ToString(CultureInfo.InvariantCulture), [r], hypotheses[i]))]).Score;

// Teacher-forced cross-entropy over the diagnosis tokens (labels shifted right into the decoder inputs).
static Tensor Loss(BartForConditionalGeneration model, TrainingBatch batch, float labelSmoothing)
{
    var logits = Seq2SeqLm.Forward(model, batch.InputIds, batch.AttentionMask, Seq2SeqLm.ShiftRight(batch.Labels!, ReportCorpus.EosId, ReportCorpus.PadId)).Decoder.Logits; // (B, T, V)
    var (b, t, v) = (logits.Size(0), logits.Size(1), logits.Size(2));
    return Losses.CrossEntropy(logits.Reshape(b * t, v), batch.Labels!.Reshape(b * t), labelSmoothing: labelSmoothing); // (B·T, V) → scalar
}

static double MeanLoss(BartForConditionalGeneration model, IReadOnlyList<TrainingBatch> batches)
{
    using var noGrad = Tensor.NoGrad();
    return batches.Average(b => (double)Loss(model, b, 0f).Item());
}

static (int[] Source, int[] Target) Example(ReportCorpus corpus, Loom.Training.Data.MedicalReport report, MedicalReportOptions options)
{
    var description = corpus.Encode(report.Description).Take(options.MaxSourceLength - 2);
    var diagnosis = corpus.Encode(report.Diagnosis).Take(options.MaxTargetLength - 1);
    return ([ReportCorpus.BosId, .. description, ReportCorpus.EosId], [.. diagnosis, ReportCorpus.EosId]);
}

static TrainingBatch Collate(IReadOnlyList<(int[] Source, int[] Target)> rows)
{
    var sources = rows.Select(r => r.Source).ToList();
    return new TrainingBatch
    {
        InputIds = BatchPadding.Pad(sources, ReportCorpus.PadId), // (B, S)
        AttentionMask = BatchPadding.Mask(sources), // (B, S)
        Labels = BatchPadding.Pad([.. rows.Select(r => r.Target)], TrainingBatch.IgnoreIndex), // (B, T), −100 after </s>
    };
}

static List<int[]> Generate(BartForConditionalGeneration model, IReadOnlyList<(int[] Source, int[] Target)> test, MedicalReportOptions options)
{
    var generator = new TextGenerator(new Seq2SeqStepDecoder(model));
    var decoding = new GenerationOptions { MaxNewTokens = options.MaxTargetLength, EosTokenIds = [ReportCorpus.EosId], PadTokenId = ReportCorpus.PadId };
    var outputs = new List<int[]>(test.Count);
    foreach (var chunk in test.Chunk(50))
    {
        // Right-padded like the training batches: the encoder's learned positions then match what it was trained on.
        var width = chunk.Max(r => r.Source.Length);
        var ids = chunk.Select(r => (IReadOnlyList<int>)[.. r.Source, .. Enumerable.Repeat(ReportCorpus.PadId, width - r.Source.Length)]).ToList();
        var mask = chunk.Select(r => (IReadOnlyList<int>)[.. Enumerable.Repeat(1, r.Source.Length), .. Enumerable.Repeat(0, width - r.Source.Length)]).ToList();
        var result = generator.Generate(new PromptBatch(ids, mask), decoding);
        outputs.AddRange(result.GeneratedOnly.Select(g => g.TakeWhile(id => id != ReportCorpus.EosId).ToArray()));
    }

    return outputs;
}

void Report(TrainingProgress p)
{
    var eval = p.Metrics is { } m && m.TryGetValue("eval_loss", out var loss) ? $"  held-out loss {loss:F4}" : "";
    if (eval.Length > 0 || p.Step % 25 == 0)
    {
        Console.WriteLine($"step {p.Step,4}/{p.MaxSteps}  loss {p.Loss:F4}{eval}  {p.TokensPerSecond:F0} tokens/s  elapsed {p.Elapsed:mm\\:ss}  eta {p.Eta:mm\\:ss}");
    }
}
