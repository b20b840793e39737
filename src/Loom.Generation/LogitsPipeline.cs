// The processor list HF GenerationMixin._get_logits_processor builds from a GenerationConfig (v4.44 order:
// sequence bias, Hamming diversity, repetition penalty, no-repeat n-gram, bad words, min length / min new tokens,
// forced BOS / EOS, suppressed tokens; then the sampling warpers temperature, top-k, top-p, min-p, typical-p).
// Presence / frequency penalties sit beside the repetition penalty. In beam sampling the warpers keep at least
// 1 + (number of EOS ids) tokens (at least 2), so that every beam can continue with a non-EOS token (HF
// _get_logits_warper's min_tokens_to_keep).
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

        if (options.DiversityPenalty > 0f)
        {
            Diversity = new HammingDiversityProcessor(options.DiversityPenalty);
            _processors.Add(Diversity);
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

        var keep = options.NumBeams > 1 ? Math.Max(2, options.EosTokenIds.Count + 1) : 1;
        if (options.Temperature != 1f)
        {
            _processors.Add(new TemperatureWarper(options.Temperature));
        }

        if (options.TopK > 0)
        {
            _processors.Add(new TopKWarper(options.TopK, keep));
        }

        if (options.TopP < 1f)
        {
            _processors.Add(new TopPWarper(options.TopP, keep));
        }

        if (options.MinP > 0f)
        {
            _processors.Add(new MinPWarper(options.MinP, keep));
        }

        if (options.TypicalP < 1f)
        {
            _processors.Add(new TypicalPWarper(options.TypicalP, keep));
        }
    }

    /// <summary>
    /// The Hamming diversity processor of diverse beam search (present when <see cref="GenerationOptions.DiversityPenalty"/>
    /// &gt; 0); the strategy tells it, before each group, which tokens the earlier groups chose at this step.
    /// </summary>
    public HammingDiversityProcessor? Diversity { get; }

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
