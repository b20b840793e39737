// The processor list HF GenerationMixin._get_logits_processor builds from a GenerationConfig (v4.44 order:
// sequence bias, repetition penalty, no-repeat n-gram, bad words, min length / min new tokens, forced BOS / EOS,
// suppressed tokens; then the sampling warpers temperature, top-k, top-p, min-p). Presence / frequency penalties sit
// beside the repetition penalty.
using Loom.Generation.Processors;

namespace Loom.Generation;

/// <summary>The ordered logits processors for a set of options.</summary>
public sealed class LogitsPipeline
{
    private readonly List<ILogitsProcessor> _processors = [];

    /// <summary>Builds the pipeline; <paramref name="maxLength"/> is the maximum row length (for forced EOS).</summary>
    public LogitsPipeline(GenerationOptions options, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LogitBias.Count > 0)
        {
            _processors.Add(new LogitBiasProcessor(options.LogitBias));
        }

        if (options.RepetitionPenalty != 1f)
        {
            _processors.Add(new RepetitionPenaltyProcessor(options.RepetitionPenalty));
        }

        if (options.PresencePenalty != 0f || options.FrequencyPenalty != 0f)
        {
            _processors.Add(new PresenceFrequencyPenaltyProcessor(options.PresencePenalty, options.FrequencyPenalty));
        }

        if (options.NoRepeatNGramSize > 0)
        {
            _processors.Add(new NoRepeatNGramProcessor(options.NoRepeatNGramSize));
        }

        if (options.BadWordsIds.Count > 0)
        {
            _processors.Add(new BadWordsProcessor(options.BadWordsIds));
        }

        if ((options.MinLength > 0 || options.MinNewTokens > 0) && options.EosTokenIds.Count > 0)
        {
            _processors.Add(new MinLengthProcessor(options.EosTokenIds, options.MinLength, options.MinNewTokens));
        }

        if (options.ForcedBosTokenId is { } bos)
        {
            _processors.Add(ForcedTokenProcessor.Bos(bos));
        }

        if (options.ForcedEosTokenId is { } eos)
        {
            _processors.Add(ForcedTokenProcessor.Eos(eos, maxLength));
        }

        if (options.SuppressTokens.Count > 0)
        {
            _processors.Add(new SuppressTokensProcessor(options.SuppressTokens));
        }

        if (!options.DoSample)
        {
            return;
        }

        if (options.Temperature != 1f)
        {
            _processors.Add(new TemperatureWarper(options.Temperature));
        }

        if (options.TopK > 0)
        {
            _processors.Add(new TopKWarper(options.TopK));
        }

        if (options.TopP < 1f)
        {
            _processors.Add(new TopPWarper(options.TopP));
        }

        if (options.MinP > 0f)
        {
            _processors.Add(new MinPWarper(options.MinP));
        }
    }

    /// <summary>The processors in application order.</summary>
    public IReadOnlyList<ILogitsProcessor> Processors => _processors;

    /// <summary>Applies every processor to one row's <paramref name="scores"/>.</summary>
    public void Apply(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        foreach (var processor in _processors)
        {
            processor.Process(tokens, promptLength, scores);
        }
    }
}
