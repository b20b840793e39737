// The controls of Hugging Face transformers' GenerationConfig (generation/configuration_utils.py, v4.44) that Loom
// implements, with HF's names and defaults; plus OpenAI-style presence / frequency penalties and logit bias, stop
// strings and a wall-clock limit.
namespace Loom.Generation;

/// <summary>How to generate: strategy, logits processors and stopping conditions.</summary>
public sealed record GenerationOptions
{
    /// <summary>New tokens to generate at most (HF max_new_tokens).</summary>
    public int MaxNewTokens { get; init; } = 20;

    /// <summary>Total row length (prompt included) at most; null = no limit beyond <see cref="MaxNewTokens"/>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Sample instead of taking the most likely token (HF do_sample).</summary>
    public bool DoSample { get; init; }

    /// <summary>Beam width; 1 = greedy or sampling.</summary>
    public int NumBeams { get; init; } = 1;

    /// <summary>Finished hypotheses returned per input (beam search), at most <see cref="NumBeams"/>.</summary>
    public int NumReturnSequences { get; init; } = 1;

    /// <summary>Exponent of the generated length that divides a hypothesis' log-probability (beam search).</summary>
    public float LengthPenalty { get; init; } = 1f;

    /// <summary>HF early_stopping: true, false, or "never" (<see cref="EarlyStopping"/>).</summary>
    public EarlyStopping EarlyStopping { get; init; } = EarlyStopping.Heuristic;

    /// <summary>Sampling temperature (1 = unchanged).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Top-k filter; 0 = off.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus mass; 1 = off.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Min-p threshold; 0 = off.</summary>
    public float MinP { get; init; }

    /// <summary>Locally typical sampling mass (HF typical_p); 1 = off.</summary>
    public float TypicalP { get; init; } = 1f;

    /// <summary>Beam groups of diverse beam search (HF num_beam_groups, dividing <see cref="NumBeams"/>); 1 = plain beam search.</summary>
    public int NumBeamGroups { get; init; } = 1;

    /// <summary>Subtracted from a token's score per earlier group that chose it at the same step (HF diversity_penalty); 0 = off.</summary>
    public float DiversityPenalty { get; init; }

    /// <summary>Weight α of the degeneration penalty in contrastive search (HF penalty_alpha); 0 = off.</summary>
    public float PenaltyAlpha { get; init; }

    /// <summary>CTRL repetition penalty; 1 = off.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Subtracted once from every token already generated; 0 = off.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Subtracted per occurrence of every token already generated; 0 = off.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>No-repeat n-gram size; 0 = off.</summary>
    public int NoRepeatNGramSize { get; init; }

    /// <summary>EOS is blocked while the row (prompt included) is shorter than this.</summary>
    public int MinLength { get; init; }

    /// <summary>EOS is blocked until this many tokens were generated.</summary>
    public int MinNewTokens { get; init; }

    /// <summary>Banned token sequences (HF bad_words_ids).</summary>
    public IReadOnlyList<IReadOnlyList<int>> BadWordsIds { get; init; } = [];

    /// <summary>Additive per-token bias.</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    /// <summary>Tokens that are never generated.</summary>
    public IReadOnlyList<int> SuppressTokens { get; init; } = [];

    /// <summary>Token forced as the first generated one (encoder-decoder models).</summary>
    public int? ForcedBosTokenId { get; init; }

    /// <summary>Token forced when the row reaches the maximum length.</summary>
    public int? ForcedEosTokenId { get; init; }

    /// <summary>End-of-sequence tokens (any of them finishes a row).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Token written after a row has finished (default: the first EOS id, as HF does).</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Strings that finish a row once its generated text contains one (needs <see cref="Decode"/>).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Turns generated token ids into text, for <see cref="StopStrings"/>.</summary>
    public Func<IReadOnlyList<int>, string>? Decode { get; init; }

    /// <summary>Wall-clock limit for the whole call; null = none.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>
    /// Preallocate each layer's KV cache for the longest row this call can produce (start row + max new tokens, as HF
    /// cache_implementation "static") instead of growing it; the tokens are the same either way.
    /// </summary>
    public bool FixedKvCache { get; init; }

    /// <summary>
    /// Keep the processed scores of every step in <see cref="GenerationResult.Scores"/> (HF output_scores; a B·V copy per
    /// step). Streaming and <see cref="TextGenerator.Steps"/> never copy them.
    /// </summary>
    public bool OutputScores { get; init; } = true;

    /// <summary>Seed of the sampling generator.</summary>
    public ulong Seed { get; init; }

    /// <summary>The pad id in force.</summary>
    internal int EffectivePad => PadTokenId ?? (EosTokenIds.Count > 0 ? EosTokenIds[0] : 0);

    /// <summary>The maximum total length for a prompt of <paramref name="promptLength"/> tokens.</summary>
    internal int MaxTotalLength(int promptLength) =>
        MaxLength is { } max ? Math.Min(max, promptLength + MaxNewTokens) : promptLength + MaxNewTokens;

    /// <summary>
    /// The KV-cache capacity for rows of at most <paramref name="maxLength"/> tokens (<see cref="FixedKvCache"/>), or
    /// null for growing caches. The last token of a row is never fed back, so <paramref name="maxLength"/> positions suffice.
    /// </summary>
    internal int? CacheCapacity(int maxLength) => FixedKvCache ? maxLength : null;
}
