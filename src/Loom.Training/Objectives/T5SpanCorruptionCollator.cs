// T5 span corruption (Raffel et al. 2020, §3.1.4), following HF transformers examples/flax/language-modeling/
// run_t5_mlm_flax.py FlaxDataCollatorForT5MLM: random_spans_noise_mask splits the noise and the non-noise tokens each
// into `spans` random non-empty segments and interleaves them (non-noise first), so the sequence starts with kept
// text; each noise span becomes one sentinel in the input (filter_input_ids), the target is sentinel + span for every
// span; both end with EOS. Sentinels count down from the first one (extra_id_0 = vocab − 1, extra_id_1 = vocab − 2 …).
// decoder_input_ids = labels shifted right behind the decoder start token (shift_tokens_right).
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Builds T5 span-corruption inputs and targets.</summary>
public sealed class T5SpanCorruptionCollator
{
    private readonly Generator _rng;

    /// <summary>Creates the collator (defaults: density 0.15, mean span 3; T5's decoder start token is the pad id).</summary>
    public T5SpanCorruptionCollator(int firstSentinelId, int eosId, int padId, Generator rng, double noiseDensity = 0.15,
        double meanSpanLength = 3, int? decoderStartId = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        FirstSentinelId = firstSentinelId;
        EosId = eosId;
        PadId = padId;
        DecoderStartId = decoderStartId ?? padId;
        NoiseDensity = noiseDensity;
        MeanSpanLength = meanSpanLength;
        T5SpanLengths.Check(noiseDensity, meanSpanLength);
        _rng = rng;
    }

    /// <summary>extra_id_0; extra_id_k = FirstSentinelId − k.</summary>
    public int FirstSentinelId { get; }

    /// <summary>EOS id.</summary>
    public int EosId { get; }

    /// <summary>Padding id.</summary>
    public int PadId { get; }

    /// <summary>First decoder input.</summary>
    public int DecoderStartId { get; }

    /// <summary>Fraction of tokens that are noise (0.15).</summary>
    public double NoiseDensity { get; }

    /// <summary>Mean noise span length (3).</summary>
    public double MeanSpanLength { get; }

    /// <summary>The noise mask of <paramref name="length"/> tokens (random_spans_noise_mask).</summary>
    public bool[] NoiseMask(int length)
    {
        var (noise, spans) = T5SpanLengths.NoiseCounts(length, NoiseDensity, MeanSpanLength);
        var noiseLengths = RandomSegmentation(noise, spans);
        var keptLengths = RandomSegmentation(length - noise, spans);
        var mask = new bool[length];
        var position = 0;
        for (var s = 0; s < spans; s++)
        {
            position += keptLengths[s];
            mask.AsSpan(position, noiseLengths[s]).Fill(true);
            position += noiseLengths[s];
        }

        return mask;
    }

    /// <summary>Corrupted input and target ids of one raw token sequence (no EOS in <paramref name="tokens"/>).</summary>
    public (int[] Inputs, int[] Targets) Corrupt(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var noise = NoiseMask(tokens.Length);
        var inputs = new List<int>();
        var targets = new List<int>();
        var sentinel = FirstSentinelId;
        for (var i = 0; i < tokens.Length; i++)
        {
            var startsSpan = noise[i] && (i == 0 || !noise[i - 1]);
            if (startsSpan)
            {
                inputs.Add(sentinel);
                targets.Add(sentinel);
                sentinel--;
            }

            (noise[i] ? targets : inputs).Add(tokens[i]);
        }

        inputs.Add(EosId);
        targets.Add(EosId);
        return (inputs.ToArray(), targets.ToArray());
    }

    /// <summary>
    /// A batch: input ids, attention mask, labels (−100 on padding), decoder input ids and decoder attention mask. Feed
    /// sequences of <see cref="T5SpanLengths.ForInputLength"/> tokens to get inputs and targets of exactly the lengths it gives.
    /// </summary>
    public TrainingBatch Collate(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var pairs = sequences.Select(Corrupt).ToArray();
        var inputs = pairs.Select(p => p.Inputs).ToArray();
        var targets = pairs.Select(p => p.Targets).ToArray();
        var decoderInputs = targets.Select(t => (int[])[DecoderStartId, .. t[..^1]]).ToArray();
        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(inputs, PadId),
            AttentionMask = BatchPadding.Mask(inputs),
            Labels = BatchPadding.Pad(targets, TrainingBatch.IgnoreIndex),
            DecoderInputIds = BatchPadding.Pad(decoderInputs, PadId),
            DecoderAttentionMask = BatchPadding.Mask(decoderInputs),
        };
    }

    // _random_segmentation: `items` split into `segments` non-empty parts by choosing segments − 1 of the items − 1 gaps.
    private int[] RandomSegmentation(int items, int segments)
    {
        var cuts = new bool[Math.Max(items - 1, 0)];
        foreach (var c in RandomSampling.Choose(_rng, cuts.Length, Math.Min(segments - 1, cuts.Length)))
        {
            cuts[c] = true;
        }

        var lengths = new int[segments];
        var segment = 0;
        for (var i = 0; i < items; i++)
        {
            lengths[segment]++;
            if (i < cuts.Length && cuts[i])
            {
                segment++;
            }
        }

        return lengths;
    }
}
