// Usage: dotnet run --project examples/PoetryGpt -c Release -- [--steps N] [--layers N] [--channels N] [--batch N] [--lr X]
//   [--dropout X] [--out DIR]
// Trains a small character-level GPT (GPT-2 architecture, random init) on Tang poems from shared/data/chinese_poetry,
// reports the validation loss on held-out poems, then samples a few poems from their first character.
using System.Diagnostics;
using Loom.Core;
using Loom.Examples;
using Loom.Examples.PoetryGpt;
using Loom.Generation;
using Loom.Models.Gpt2;
using Loom.Nn;
using Loom.Training;

PoetryGptOptions options;
string? output;
try
{
    var arguments = ExampleArguments.Parse(args, "--steps", "--layers", "--channels", "--batch", "--lr", "--dropout", "--out");
    var defaults = new PoetryGptOptions();
    options = defaults with
    {
        Steps = arguments.Int("--steps", defaults.Steps),
        Layers = arguments.Int("--layers", defaults.Layers),
        Channels = arguments.Int("--channels", defaults.Channels),
        BatchSize = arguments.Int("--batch", defaults.BatchSize),
        LearningRate = arguments.Number("--lr", defaults.LearningRate),
        Dropout = arguments.Number("--dropout", defaults.Dropout),
    };
    output = arguments.Text("--out");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"poetry-gpt: {e.Message}");
    return 2;
}

PoetryCorpus corpus;
try
{
    corpus = PoetryCorpus.Load(validationFraction: 0.1, options.Seed);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"poetry-gpt: {e.Message}");
    return 1;
}

var config = new Gpt2Config
{
    VocabSize = corpus.Vocabulary.Count,
    Positions = options.BlockSize,
    Channels = options.Channels,
    Layers = options.Layers,
    Heads = options.Heads,
    EmbeddingDropout = (float)options.Dropout,
    AttentionDropout = (float)options.Dropout,
    ResidualDropout = (float)options.Dropout,
};
var weights = Weights.Initialize(new Generator(options.Seed));
var model = new Gpt2LmHeadModel(weights, config);
var trainable = new TrainableModel<LmBatch>(weights, batch =>
    Losses.CrossEntropy(model.Forward(batch.Inputs).Logits.Reshape(-1, config.VocabSize), batch.Targets.Reshape(-1))); // (B·T, V) vs (B·T)
var source = new RandomWindowSource(corpus.TrainIds, options.BatchSize, options.BlockSize, options.Seed + 1);
var trainer = new Trainer<LmBatch>(trainable, source, new TrainerOptions
{
    MaxSteps = options.Steps,
    LearningRate = options.LearningRate,
    WarmupSteps = options.Steps / 10,
    MinLearningRateFraction = 0.1,
    WeightDecay = 0.1,
    Beta2 = 0.99,
    LogEvery = 25,
    EvalEvery = options.EvalEvery,
    OutputDirectory = output,
}, ValidationBatches(corpus.ValidationIds, options));
trainer.Progress = new InlineProgress<TrainingProgress>(Report);

var parameterCount = weights.Parameters.Sum(p => (long)p.Value.Count);
Console.WriteLine($"poetry-gpt: {corpus.TrainPoems.Count} training poems ({corpus.TrainIds.Length:N0} characters), {corpus.ValidationPoems.Count} held out ({corpus.ValidationIds.Length:N0}); vocabulary {corpus.Vocabulary.Count}");
Console.WriteLine($"model: {options.Layers} layers, {options.Heads} heads, width {options.Channels}, block {options.BlockSize}; {parameterCount:N0} parameters; {options.Steps} steps of {options.BatchSize}×{options.BlockSize}, lr {options.LearningRate}, dropout {options.Dropout}");
var clock = Stopwatch.StartNew();
var initial = trainer.Evaluate()["eval_loss"];
Console.WriteLine($"validation loss before training {initial:F4} (uniform guess: ln {corpus.Vocabulary.Count} = {Math.Log(corpus.Vocabulary.Count):F4})");
var result = trainer.Train();
var final = trainer.Evaluate()["eval_loss"];
Console.WriteLine($"validation loss after {result.Step} steps: {final:F4} (best {result.BestMetric:F4} at step {result.BestStep}); training took {clock.Elapsed.TotalMinutes:F1} min");

var generator = new TextGenerator(model);
var sampling = new GenerationOptions { DoSample = true, Temperature = 0.8f, TopK = 50, MaxNewTokens = options.BlockSize - 1, Seed = options.Seed };
foreach (var (first, index) in new[] { "月", "春", "山", "江" }.Select((c, i) => (c, i)))
{
    var prompt = corpus.Vocabulary.Encode(first);
    var generated = generator.Generate(PromptBatch.LeftPad([prompt], padTokenId: 0), sampling with { Seed = options.Seed + (ulong)index }).Sequences[0];
    var poem = corpus.Vocabulary.Decode(generated);
    var end = poem.IndexOf("\n\n", StringComparison.Ordinal);
    Console.WriteLine($"--- sample from '{first}':\n{(end > 0 ? poem[..end] : poem)}");
}

return 0;

static IReadOnlyList<LmBatch> ValidationBatches(int[] ids, PoetryGptOptions options)
{
    var (b, t) = (options.BatchSize, options.BlockSize);
    var windows = Math.Min((ids.Length - 1) / t, b * options.EvalBatches) / b * b;
    var batches = new List<LmBatch>();
    for (var start = 0; start < windows; start += b)
    {
        var inputs = new int[b * t];
        var targets = new int[b * t];
        for (var row = 0; row < b; row++)
        {
            Array.Copy(ids, (start + row) * t, inputs, row * t, t);
            Array.Copy(ids, ((start + row) * t) + 1, targets, row * t, t);
        }

        batches.Add(new LmBatch(IntTensor.FromArray(inputs, b, t), IntTensor.FromArray(targets, b, t))); // (B, T), (B, T)
    }

    return batches;
}

static void Report(TrainingProgress p)
{
    if (p.Metrics is { } metrics && metrics.TryGetValue("eval_loss", out var evalLoss))
    {
        Console.WriteLine($"step {p.Step,5}/{p.MaxSteps}  train loss {p.Loss:F4}  validation loss {evalLoss:F4}  {p.TokensPerSecond:F0} tokens/s  elapsed {p.Elapsed:mm\\:ss}  eta {p.Eta:mm\\:ss}");
    }
    else if (p.Step % 25 == 0)
    {
        Console.WriteLine($"step {p.Step,5}/{p.MaxSteps}  train loss {p.Loss:F4}  lr {p.LearningRate:0.00e+0}  {p.TokensPerSecond:F0} tokens/s  elapsed {p.Elapsed:mm\\:ss}");
    }
}
