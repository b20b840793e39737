// Usage: dotnet run --project examples/SentimentBert -c Release -- [--pretrain-steps N] [--finetune-steps N] [--seeds N]
//   [--layers N] [--hidden N]
// Pretrains a small Chinese BERT with masked LM on waimai reviews + CMRC passages, fine-tunes it on waimai_10k
// sentiment, fine-tunes the same architecture from random initialisation with the same recipe (each classifier once per
// fine-tuning seed), and prints accuracy and F1 of every run on held-out reviews.
using System.Diagnostics;
using Loom.Examples;
using Loom.Examples.SentimentBert;
using Loom.Metrics.Classification;
using Loom.Models.Bert;

SentimentBertOptions options;
try
{
    var arguments = ExampleArguments.Parse(args, "--pretrain-steps", "--finetune-steps", "--seeds", "--layers", "--hidden");
    var defaults = new SentimentBertOptions();
    options = defaults with
    {
        PretrainSteps = arguments.Int("--pretrain-steps", defaults.PretrainSteps),
        FineTuneSteps = arguments.Int("--finetune-steps", defaults.FineTuneSteps),
        FineTuneSeeds = arguments.Int("--seeds", defaults.FineTuneSeeds),
        Layers = arguments.Int("--layers", defaults.Layers),
        Hidden = arguments.Int("--hidden", defaults.Hidden),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"sentiment-bert: {e.Message}");
    return 2;
}

SentimentCorpus corpus;
try
{
    corpus = SentimentCorpus.Load(options.TestFraction, options.MaxLength - 2, options.Seed);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"sentiment-bert: {e.Message}");
    return 1;
}

var clock = Stopwatch.StartNew();
var tokenizer = new CharacterTokenizer(corpus.PretrainingTexts, minCount: 3, options.MaxCharacters);
var config = new BertConfig
{
    VocabSize = tokenizer.VocabSize,
    HiddenSize = options.Hidden,
    Layers = options.Layers,
    Heads = options.Heads,
    IntermediateSize = 4 * options.Hidden,
    MaxPositionEmbeddings = options.MaxLength,
    HiddenDropoutProb = 0f, // the recorded runs train without dropout
    AttentionProbsDropoutProb = 0f,
};
Console.WriteLine($"sentiment-bert: {corpus.TrainReviews.Count:N0} training reviews, {corpus.TestReviews.Count:N0} held out, {corpus.PassagePieces.Count:N0} CMRC passage pieces; vocabulary {tokenizer.VocabSize}");
Console.WriteLine($"model: BERT {options.Layers} layers, {options.Heads} heads, hidden {options.Hidden}, intermediate {4 * options.Hidden}, max length {options.MaxLength}");

var pretraining = corpus.PretrainingTexts.Select(t => tokenizer.Encode(t, options.MaxLength)).ToList();
var pretrained = MaskedLmPretraining.Run(config, pretraining, options, Console.Out);
var train = corpus.TrainReviews.Select(r => (tokenizer.Encode(r.Text, options.MaxLength), r.Label)).ToList();
var test = corpus.TestReviews.Select(r => (tokenizer.Encode(r.Text, options.MaxLength), r.Label)).ToList();
var seeds = Enumerable.Range(1, options.FineTuneSeeds).Select(i => options.Seed + (ulong)(10 * i)).ToList();
var fromPretrained = seeds.Select(seed => SentimentFineTuning.Run($"fine-tune (pretrained, seed {seed})", config, train, test, pretrained, options, seed, Console.Out)).ToList();
var fromScratch = seeds.Select(seed => SentimentFineTuning.Run($"fine-tune (random init, seed {seed})", config, train, test, null, options, seed, Console.Out)).ToList();

Console.WriteLine($"held-out waimai_10k ({test.Count} reviews, {test.Count(t => t.Item2 == 1)} positive), {options.FineTuneSteps} fine-tuning steps of {options.FineTuneBatchSize}:");
Print("pretrained with MLM", seeds, fromPretrained);
Print("random init", seeds, fromScratch);
Console.WriteLine($"total time {clock.Elapsed.TotalMinutes:F1} min");
return 0;

static void Print(string name, IReadOnlyList<ulong> seeds, IReadOnlyList<ClassificationReport> reports)
{
    for (var i = 0; i < reports.Count; i++)
    {
        var positive = reports[i].PerClass[reports[i].Labels.ToList().IndexOf("1")];
        Console.WriteLine($"  {name,-20} seed {seeds[i],3}  accuracy {reports[i].Accuracy:P2}  F1(positive) {positive.F1:F4}  macro-F1 {reports[i].Macro.F1:F4}");
    }

    Console.WriteLine($"  {name,-20} mean      accuracy {reports.Average(r => r.Accuracy):P2}  macro-F1 {reports.Average(r => r.Macro.F1):F4}");
}
