// Usage: dotnet run --project examples/MedicalReportSeq2Seq -c Release -- [--steps N] [--width N] [--layers N]
// Trains a small Transformer encoder-decoder (BART architecture, random init, no pretraining) to write the diagnosis
// of a GAIIC 2023 CT report from its anonymised description, then scores greedy outputs on held-out reports with
// CIDEr-D beside a constant baseline (the most frequent training diagnosis for every report).
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
    var arguments = ExampleArguments.Parse(args, "--steps", "--width", "--layers", "--batch");
    var defaults = new MedicalReportOptions();
    options = defaults with
    {
        Steps = arguments.Int("--steps", defaults.Steps),
        Width = arguments.Int("--width", defaults.Width),
        Layers = arguments.Int("--layers", defaults.Layers),
        BatchSize = arguments.Int("--batch", defaults.BatchSize),
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
    EncoderFfnDim = 2 * options.Width,
    DecoderFfnDim = 2 * options.Width,
    MaxPositionEmbeddings = Math.Max(options.MaxSourceLength, options.MaxTargetLength),
    PadTokenId = ReportCorpus.PadId,
    DecoderStartTokenId = ReportCorpus.EosId,
    Dropout = 0f, // the recorded runs train without dropout
};
var weights = Weights.Initialize(new Generator(options.Seed));
var model = new BartForConditionalGeneration(weights, config);
var train = corpus.TrainReports.Select(r => Example(corpus, r, options)).ToList();
var test = corpus.TestReports.Select(r => Example(corpus, r, options)).ToList();
Console.WriteLine($"medical-report-seq2seq: {train.Count:N0} training reports, {test.Count:N0} held out; vocabulary {config.VocabSize} ids (integer-id table from the training reports + 4 special)");
Console.WriteLine($"model: BART-style encoder-decoder, {options.Layers}+{options.Layers} layers, width {options.Width}, {options.Heads} heads, FFN {2 * options.Width}; {weights.Parameters.Sum(p => (long)p.Value.Count):N0} parameters; {options.Steps} steps of {options.BatchSize}");

var source = new ShuffledBatchSource<(int[] Source, int[] Target), TrainingBatch>(train, options.BatchSize, options.Seed,
    (rows, _) => Collate(rows), batch => batch.InputIds.Count + batch.Labels!.Count);
var evalBatches = test.Chunk(options.BatchSize).Select(Collate).ToList();
var trainable = new TrainableModel<TrainingBatch>(weights, batch => Seq2SeqLm.Forward(model, batch.InputIds, batch.AttentionMask, labels: batch.Labels).Loss!);
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

var hypotheses = Generate(model, test, options).Select(corpus.Decode).ToList();
var references = test.Select(t => corpus.Decode(t.Target)).ToList();
var cider = CiderScorer.Compute([.. test.Select((_, i) => new CaptionExample(i.ToString(CultureInfo.InvariantCulture), [references[i]], hypotheses[i]))]);
var commonest = train.GroupBy(t => corpus.Decode(t.Target)).OrderByDescending(g => g.Count()).First().Key;
var baseline = CiderScorer.Compute([.. test.Select((_, i) => new CaptionExample(i.ToString(CultureInfo.InvariantCulture), [references[i]], commonest))]);
Console.WriteLine($"held-out CIDEr-D over {test.Count} reports: model (greedy) {cider.Score:F4}; constant baseline (most frequent training diagnosis) {baseline.Score:F4}");
for (var i = 0; i < 3; i++)
{
    Console.WriteLine($"  reference: {references[i]}\n  generated: {hypotheses[i]}");
}

Console.WriteLine($"total time {clock.Elapsed.TotalMinutes:F1} min");
return 0;

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
    var greedy = new GenerationOptions { MaxNewTokens = options.MaxTargetLength, EosTokenIds = [ReportCorpus.EosId], PadTokenId = ReportCorpus.PadId };
    var outputs = new List<int[]>(test.Count);
    foreach (var chunk in test.Chunk(50))
    {
        // Right-padded like the training batches: the encoder's learned positions then match what it was trained on.
        var width = chunk.Max(r => r.Source.Length);
        var ids = chunk.Select(r => (IReadOnlyList<int>)[.. r.Source, .. Enumerable.Repeat(ReportCorpus.PadId, width - r.Source.Length)]).ToList();
        var mask = chunk.Select(r => (IReadOnlyList<int>)[.. Enumerable.Repeat(1, r.Source.Length), .. Enumerable.Repeat(0, width - r.Source.Length)]).ToList();
        var result = generator.Generate(new PromptBatch(ids, mask), greedy);
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
