// Masked language modelling (Devlin et al. 2019, BERT §3.1), with the dynamic masking of RoBERTa (Liu et al. 2019):
// positions are re-drawn every time a batch is collated. Token-level selection follows HF transformers
// DataCollatorForLanguageModeling.torch_mask_tokens: each eligible position is chosen with probability 0.15; of the
// chosen, 80% become [MASK], half of the rest a random vocabulary id, the rest stay; labels hold the original id there
// and −100 elsewhere. Whole-word selection follows DataCollatorForWholeWordMask._whole_word_mask: words are visited in
// random order and taken while the total stays within round(0.15 · eligible tokens) (at least 1). Special tokens and padding
// are never chosen.
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Masks token ids for masked-LM training, freshly at every call.</summary>
public sealed class MaskedLmCollator
{
    private readonly Generator _rng;
    private readonly HashSet<int> _special;
    private readonly IWordSegmenter? _segmenter;
    private readonly Func<int, string>? _idToToken;

    /// <summary>
    /// Creates the collator. <paramref name="specialIds"/> (e.g. [CLS], [SEP], [PAD], [UNK]) are never masked.
    /// With a <paramref name="segmenter"/> and <paramref name="idToToken"/> it masks whole words.
    /// </summary>
    public MaskedLmCollator(int vocabSize, int maskId, int padId, IEnumerable<int> specialIds, Generator rng,
        double maskProbability = 0.15, double maskTokenFraction = 0.8, double randomTokenFraction = 0.1,
        IWordSegmenter? segmenter = null, Func<int, string>? idToToken = null)
    {
        ArgumentNullException.ThrowIfNull(specialIds);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        CheckProbability(maskProbability, nameof(maskProbability));
        CheckProbability(maskTokenFraction, nameof(maskTokenFraction));
        CheckProbability(randomTokenFraction, nameof(randomTokenFraction));
        if (maskTokenFraction + randomTokenFraction > 1)
        {
            throw new ArgumentException($"Masked LM: expected [MASK] + random fractions ≤ 1; found {maskTokenFraction} + {randomTokenFraction}.");
        }

        if ((segmenter is null) != (idToToken is null))
        {
            throw new ArgumentException("Masked LM: whole-word masking needs both a segmenter and an id → token lookup; found only one.");
        }

        VocabSize = vocabSize;
        MaskId = maskId;
        PadId = padId;
        _special = [.. specialIds, padId];
        _rng = rng;
        MaskProbability = maskProbability;
        MaskTokenFraction = maskTokenFraction;
        RandomTokenFraction = randomTokenFraction;
        _segmenter = segmenter;
        _idToToken = idToToken;
    }

    /// <summary>Vocabulary size; random replacements are drawn uniformly from [0, VocabSize).</summary>
    public int VocabSize { get; }

    /// <summary>The [MASK] id.</summary>
    public int MaskId { get; }

    /// <summary>The padding id.</summary>
    public int PadId { get; }

    /// <summary>Probability that an eligible token is chosen (0.15).</summary>
    public double MaskProbability { get; }

    /// <summary>Fraction of chosen tokens replaced by [MASK] (0.8).</summary>
    public double MaskTokenFraction { get; }

    /// <summary>Fraction of chosen tokens replaced by a random id (0.1).</summary>
    public double RandomTokenFraction { get; }

    /// <summary>Pads <paramref name="sequences"/> (already with their special tokens) and masks them.</summary>
    public TrainingBatch Collate(IReadOnlyList<int[]> sequences) =>
        Mask(new TrainingBatch { InputIds = BatchPadding.Pad(sequences, PadId), AttentionMask = BatchPadding.Mask(sequences) });

    /// <summary>
    /// Masks an already collated batch (e.g. an NSP/SOP batch): returns it with masked input ids and MLM labels, every
    /// other field kept.
    /// </summary>
    public TrainingBatch Mask(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ids = batch.InputIds.ToArray();
        var attention = batch.AttentionMask.ToArray();
        var (b, t) = (batch.BatchSize, batch.Length);
        var labels = new int[ids.Length];
        Array.Fill(labels, TrainingBatch.IgnoreIndex);
        for (var row = 0; row < b; row++)
        {
            var rowIds = ids.AsSpan(row * t, t);
            var eligible = new bool[t];
            for (var i = 0; i < t; i++)
            {
                eligible[i] = attention[row * t + i] != 0 && !_special.Contains(rowIds[i]);
            }

            var chosen = _segmenter is null ? ChooseTokens(eligible) : ChooseWords(rowIds.ToArray(), eligible);
            for (var i = 0; i < t; i++)
            {
                if (!chosen[i])
                {
                    continue;
                }

                labels[row * t + i] = rowIds[i];
                var u = _rng.NextDouble();
                if (u < MaskTokenFraction)
                {
                    rowIds[i] = MaskId;
                }
                else if (u < MaskTokenFraction + RandomTokenFraction)
                {
                    rowIds[i] = _rng.NextInt(VocabSize);
                }
            }
        }

        return new TrainingBatch
        {
            InputIds = IntTensor.FromArray(ids, b, t),
            AttentionMask = batch.AttentionMask,
            Labels = IntTensor.FromArray(labels, b, t),
            TokenTypeIds = batch.TokenTypeIds,
            PositionIds = batch.PositionIds,
            SentenceLabels = batch.SentenceLabels,
            PrefixLengths = batch.PrefixLengths,
        };
    }

    private bool[] ChooseTokens(bool[] eligible)
    {
        var chosen = new bool[eligible.Length];
        for (var i = 0; i < eligible.Length; i++)
        {
            chosen[i] = eligible[i] && _rng.NextDouble() < MaskProbability;
        }

        return chosen;
    }

    private bool[] ChooseWords(int[] ids, bool[] eligible)
    {
        var tokens = ids.Select(id => _idToToken!(id)).ToArray();
        var starts = _segmenter!.WordStarts(tokens);
        if (starts.Length != ids.Length)
        {
            throw new InvalidOperationException($"Word segmenter: expected {ids.Length} word-start flags; found {starts.Length}.");
        }

        // Words: maximal runs of eligible tokens, split at word starts.
        var words = new List<(int Start, int Length)>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (!eligible[i])
            {
                continue;
            }

            if (starts[i] || words.Count == 0 || words[^1].Start + words[^1].Length != i)
            {
                words.Add((i, 1));
            }
            else
            {
                words[^1] = (words[^1].Start, words[^1].Length + 1);
            }
        }

        var chosen = new bool[ids.Length];
        var eligibleCount = eligible.Count(e => e);
        if (eligibleCount == 0)
        {
            return chosen;
        }

        var budget = Math.Max(1, (int)Math.Round(eligibleCount * MaskProbability, MidpointRounding.ToEven));
        var taken = 0;
        foreach (var w in RandomSampling.Choose(_rng, words.Count, words.Count))
        {
            if (taken >= budget)
            {
                break;
            }

            var (start, length) = words[w];
            if (taken + length > budget)
            {
                continue;
            }

            chosen.AsSpan(start, length).Fill(true);
            taken += length;
        }

        return chosen;
    }

    private static void CheckProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, $"Masked LM: expected a probability in [0, 1]; found {value}.");
        }
    }
}
