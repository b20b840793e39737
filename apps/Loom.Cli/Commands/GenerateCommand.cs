// `loom generate`: text generation from an HF folder (decoder-only: the prompt is continued; encoder-decoder such as
// BART / T5: the prompt is the encoder input and the output is a new text), a llama2.c checkpoint, or the embedded
// stories260K model.
// With --sampler llama2c it reproduces llama2.c run.c's standard output byte for byte (same sampler, same steps).
// Strategies beyond greedy / sampling / beam search: typical-p, beam sampling (--do-sample with --num-beams), diverse
// beam search (--num-beam-groups, --diversity-penalty), contrastive search (--penalty-alpha with --top-k candidates,
// HF's default 50) and DExperts guidance (--expert / --anti-expert HF folders, --expert-alpha).
using System.CommandLine;
using Loom.Generation;
using Loom.Generation.Llama2c;

namespace Loom.Cli.Commands;

/// <summary><c>loom generate</c>.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "HF model folder or llama2.c .bin checkpoint (default: the embedded stories260K)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json / folder, or llama2.c tokenizer .bin (default: the model's)" };
        var prompt = new Option<string>("--prompt") { Description = "Prompt text", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "New tokens at most", DefaultValueFactory = _ => 256 };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (0 = greedy; llama2c default 1.0)" };
        var topK = new Option<int>("--top-k") { Description = "Top-k filter (0 = off)" };
        var topP = new Option<float?>("--top-p") { Description = "Nucleus mass (1 = off; llama2c default 0.9)" };
        var minP = new Option<float>("--min-p") { Description = "Min-p threshold (0 = off)" };
        var beams = new Option<int>("--num-beams") { Description = "Beam width (1 = greedy/sampling)", DefaultValueFactory = _ => 1 };
        var repetition = new Option<float>("--repetition-penalty") { Description = "CTRL repetition penalty (1 = off)", DefaultValueFactory = _ => 1f };
        var seed = new Option<ulong?>("--seed") { Description = "Sampling seed (default: time)" };
        var stream = new Option<bool>("--stream") { Description = "Print text as it is generated (greedy, sampling, contrastive search; not beam search)" };
        var sampler = new Option<string>("--sampler") { Description = "hf (default) or llama2c (run.c-identical output)", DefaultValueFactory = _ => "hf" };
        var steps = new Option<int>("--steps") { Description = "llama2c: total positions including the prompt (0 = context length)", DefaultValueFactory = _ => 256 };
        var typicalP = new Option<float>("--typical-p") { Description = "Locally typical sampling mass (1 = off)", DefaultValueFactory = _ => 1f };
        var doSample = new Option<bool>("--do-sample") { Description = "Sample also with --num-beams > 1 (beam sampling)" };
        var beamGroups = new Option<int>("--num-beam-groups") { Description = "Diverse beam search: groups dividing --num-beams (1 = off)", DefaultValueFactory = _ => 1 };
        var diversity = new Option<float>("--diversity-penalty") { Description = "Diverse beam search: Hamming penalty between groups (0 = off)" };
        var penaltyAlpha = new Option<float>("--penalty-alpha") { Description = "Contrastive search α (0 = off); --top-k candidates (default 50)" };
        var expert = new Option<string?>("--expert") { Description = "DExperts: HF folder of the expert model (steer towards it)" };
        var antiExpert = new Option<string?>("--anti-expert") { Description = "DExperts: HF folder of the anti-expert model (steer away from it)" };
        var expertAlpha = new Option<float>("--expert-alpha") { Description = "DExperts: logits + α·(expert − anti-expert)", DefaultValueFactory = _ => 1f };
        var fixedCache = new Option<bool>("--fixed-kv-cache") { Description = "Preallocate the KV cache for prompt + --max-new-tokens positions instead of growing it" };
        var activations = new Option<string>("--quantized-activations") { Description = "GGUF Q8_0 / Q4_0 models: f32 (exact dequantised products) or int8 (llama.cpp's integer dot products: faster, slightly different logits)", DefaultValueFactory = _ => "f32" };
        activations.AcceptOnlyFromAmong("f32", "int8");
        var command = new Command("generate", "Generate text from a prompt");
        foreach (var option in new Option[]
        {
            model, tokenizer, prompt, maxNew, temperature, topK, topP, minP, beams, repetition, seed, stream, sampler, steps,
            typicalP, doSample, beamGroups, diversity, penaltyAlpha, expert, antiExpert, expertAlpha, activations, fixedCache,
        })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                var request = new GenerateRequest(parse.GetValue(model), parse.GetValue(tokenizer), parse.GetValue(prompt) ?? "",
                    parse.GetValue(seed) ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    parse.GetValue(activations) == "int8" ? Loom.Kernels.QuantizedActivations.Int8 : Loom.Kernels.QuantizedActivations.Float32);
                return parse.GetValue(sampler) switch
                {
                    "llama2c" => RunLlama2c(request, parse.GetValue(temperature) ?? 1f, parse.GetValue(topP) ?? 0.9f, parse.GetValue(steps)),
                    "hf" => RunHf(request, new GenerationOptions
                    {
                        MaxNewTokens = parse.GetValue(maxNew),
                        DoSample = parse.GetValue(penaltyAlpha) == 0f && (parse.GetValue(temperature) ?? 1f) > 0
                            && (parse.GetValue(beams) == 1 || parse.GetValue(doSample)),
                        Temperature = parse.GetValue(temperature) is > 0 and var t ? t : 1f,
                        TopK = parse.GetValue(penaltyAlpha) != 0f && parse.GetValue(topK) == 0 ? 50 : parse.GetValue(topK),
                        TopP = parse.GetValue(topP) ?? 1f,
                        MinP = parse.GetValue(minP),
                        TypicalP = parse.GetValue(typicalP),
                        NumBeams = parse.GetValue(beams),
                        NumBeamGroups = parse.GetValue(beamGroups),
                        DiversityPenalty = parse.GetValue(diversity),
                        PenaltyAlpha = parse.GetValue(penaltyAlpha),
                        RepetitionPenalty = parse.GetValue(repetition),
                        FixedKvCache = parse.GetValue(fixedCache),
                        Seed = request.Seed,
                    }, parse.GetValue(stream), (parse.GetValue(expert), parse.GetValue(antiExpert), parse.GetValue(expertAlpha))),
                    var other => throw new ArgumentException($"--sampler: expected hf or llama2c; found '{other}'."),
                };
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or Loom.Models.ModelLoadException or Loom.Tokenizers.TokenizerException)
            {
                Console.Error.WriteLine($"loom generate: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static int RunLlama2c(GenerateRequest request, float temperature, float topP, int steps)
    {
        // run.c main(): negative temperature → 0; top-p outside [0, 1] → 0.9.
        temperature = Math.Max(temperature, 0f);
        topP = topP is < 0f or > 1f ? 0.9f : topP;
        var (model, tokenizer, sequenceLength) = GenerateModel.LoadLlama2c(request);
        var runner = new Llama2cRunner(model, tokenizer, sequenceLength);
        using var stdout = Console.OpenStandardOutput();
        foreach (var piece in runner.Pieces(request.Prompt, new Llama2cSampler(temperature, topP, request.Seed), steps))
        {
            stdout.Write(piece);
            stdout.Flush();
        }

        stdout.WriteByte((byte)'\n');
        return 0;
    }

    private static int RunHf(GenerateRequest request, GenerationOptions options, bool stream, (string? Expert, string? AntiExpert, float Alpha) guidance)
    {
        if (stream && options.NumBeams > 1 && options.PenaltyAlpha == 0f)
        {
            throw new ArgumentException("--stream: beam search cannot stream (a beam's text can change until the search ends); drop --stream or use --num-beams 1.");
        }

        var loaded = GenerateModel.Load(request);
        var decoder = Guided(loaded.Model, guidance);
        var defaults = loaded.Defaults;

        // The checkpoint's special tokens and processors (HF generation_config), the command line's strategy.
        options = options with
        {
            EosTokenIds = defaults.EosTokenIds,
            PadTokenId = defaults.PadTokenId,
            ForcedBosTokenId = defaults.ForcedBosTokenId,
            ForcedEosTokenId = defaults.ForcedEosTokenId,
            MinLength = defaults.MinLength,
            MinNewTokens = defaults.MinNewTokens,
            NoRepeatNGramSize = defaults.NoRepeatNGramSize,
            LengthPenalty = defaults.LengthPenalty,
            EarlyStopping = defaults.EarlyStopping,
            Decode = loaded.Decode,
            OutputScores = false,
        };
        var ids = loaded.Encode(request.Prompt);
        if (ids.Count == 0)
        {
            throw new ArgumentException("--prompt: the prompt encodes to no tokens; give some text.");
        }

        var prompts = new PromptBatch([ids], [[.. Enumerable.Repeat(1, ids.Count)]]);
        if (!loaded.EncoderDecoder)
        {
            Console.Write(request.Prompt);
        }

        if (options.NumBeams > 1 && options.PenaltyAlpha == 0f)
        {
            var beam = new BeamSearch(decoder).Generate(prompts, options);
            Console.WriteLine(loaded.Decode([.. beam.GeneratedOnly[0].Where(t => !loaded.EosTokenIds.Contains(t) && t != loaded.PadTokenId)]));
            return 0;
        }

        IStreamableStrategy strategy = options.PenaltyAlpha != 0f
            ? new ContrastiveSearch((decoder as CausalStepDecoder
                ?? throw new ArgumentException("--penalty-alpha: contrastive search needs a decoder-only model without --expert guidance.")).Model)
            : new TextGenerator(decoder);
        if (stream)
        {
            foreach (var delta in TextStreamer.StreamAsync(strategy, prompts, options, loaded.Decode).ToBlockingEnumerable())
            {
                Console.Write(delta.Text);
            }

            Console.WriteLine();
            return 0;
        }

        var generated = new List<int>();
        foreach (var step in strategy.Steps(prompts, options))
        {
            generated.Add(step.Tokens[0]);
        }

        Console.WriteLine(loaded.Decode([.. generated.TakeWhile(t => !loaded.EosTokenIds.Contains(t))]));
        return 0;
    }

    /// <summary>The loaded model, or DExperts guidance around it when both expert folders are given.</summary>
    private static IStepDecoder Guided(IStepDecoder model, (string? Expert, string? AntiExpert, float Alpha) guidance)
    {
        if (guidance.Expert is null && guidance.AntiExpert is null)
        {
            return model;
        }

        if (guidance.Expert is not { } expert || guidance.AntiExpert is not { } anti || !Directory.Exists(expert) || !Directory.Exists(anti))
        {
            throw new ArgumentException($"--expert / --anti-expert: expected two HF model folders; found '{guidance.Expert}' and '{guidance.AntiExpert}'.");
        }

        return new ExpertGuidedStepDecoder(model, StepDecoders.Load(expert), StepDecoders.Load(anti), guidance.Alpha);
    }
}
