// Greedy decoding and multinomial sampling, following HF GenerationMixin._sample (v4.44): every row is scored at every
// step, finished rows receive the pad token, and the loop ends when all rows have finished (EOS or stop string) or the
// maximum length / time is reached. Beam search lives in BeamSearch. Decoder-only models by default; any IStepDecoder
// (an encoder-decoder model through Seq2SeqStepDecoder, whose rows start from the decoder start token) works the same.
// The scores are processed in the session's logits buffer, so a step copies no vocabulary-sized array.
using System.Diagnostics;
using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>Greedy / sampled generation over a decoder-only model or any other <see cref="IStepDecoder"/>.</summary>
public sealed class TextGenerator : IStreamableStrategy
{
    private readonly IStepDecoder _model;

    /// <summary>Wraps a decoder-only <paramref name="model"/>.</summary>
    public TextGenerator(ICausalLm model)
        : this(new CausalStepDecoder(model))
    {
    }

    /// <summary>Wraps any <see cref="IStepDecoder"/> (e.g. a <see cref="Seq2SeqStepDecoder"/>).</summary>
    public TextGenerator(IStepDecoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <inheritdoc/>
    public IEnumerable<GenerationStep> Steps(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        if (options.NumBeams != 1)
        {
            throw new ArgumentException($"TextGenerator: expected num_beams 1 (use BeamSearch for {options.NumBeams}).", nameof(options));
        }

        return Run(prompts, options, cancellationToken);
    }

    /// <summary>Generates to completion.</summary>
    public GenerationResult Generate(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        return GenerationResult.Collect(_model.StartRows(prompts), Steps(prompts, options, cancellationToken), options.OutputScores);
    }

    private IEnumerable<GenerationStep> Run(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken)
    {
        var starts = _model.StartRows(prompts);
        int batch = prompts.Batch, width = starts[0].Length, vocab = _model.VocabSize;
        var maxLength = options.MaxTotalLength(width);
        if (width >= maxLength)
        {
            yield break;
        }

        var pipeline = new LogitsPipeline(options, maxLength);
        var random = new Generator(options.Seed);
        var eos = options.EosTokenIds.ToHashSet();
        var rows = starts.Select(r => r.ToList()).ToArray();
        var finished = new bool[batch];
        var clock = Stopwatch.StartNew();
        var (session, logits) = _model.Begin(prompts, 1, options.CacheCapacity(maxLength));
        while (true)
        {
            var tokens = new int[batch];
            var scores = logits; // (B·V), processed in place
            for (var row = 0; row < batch; row++)
            {
                var span = scores.AsSpan(row * vocab, vocab);
                pipeline.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows[row]), width, span);
                var token = options.DoSample ? TokenChooser.Sample(span, random) : TokenChooser.ArgMax(span);
                tokens[row] = finished[row] ? options.EffectivePad : token;
                rows[row].Add(tokens[row]);
                if (!finished[row] && (eos.Contains(token) || HitsStopString(rows[row], width, options)))
                {
                    finished[row] = true;
                }
            }

            var timeUp = options.MaxTime is { } limit && clock.Elapsed >= limit;
            var done = rows[0].Count >= maxLength || Array.IndexOf(finished, false) < 0 || timeUp;
            yield return new GenerationStep(tokens, done ? AllTrue(batch) : (bool[])finished.Clone(), scores);
            if (done)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            logits = session.Step(tokens);
        }
    }

    private static bool[] AllTrue(int batch)
    {
        var flags = new bool[batch];
        Array.Fill(flags, true);
        return flags;
    }

    internal static bool HitsStopString(List<int> row, int promptLength, GenerationOptions options)
    {
        if (options.StopStrings.Count == 0)
        {
            return false;
        }

        var decode = options.Decode ?? throw new ArgumentException("Stop strings need GenerationOptions.Decode to turn tokens into text.", nameof(options));
        var text = decode(row.GetRange(promptLength, row.Count - promptLength));
        return options.StopStrings.Any(s => text.Contains(s, StringComparison.Ordinal));
    }
}
