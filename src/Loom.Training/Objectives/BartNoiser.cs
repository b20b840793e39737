// BART denoising noise (Lewis et al. 2020, "BART", §2.2), following fairseq fairseq/data/denoising_dataset.py
// (DenoisingDataset: permute_sentences, add_whole_word_mask, add_insertion_noise, add_rolling_noise) at token level
// (every token is a word start, fairseq's mask_length="subword"/"span-poisson"). A sequence is BOS … EOS; the first and
// last tokens never move and are never noised. Token masking = replace_length 1, token deletion = replace_length 0,
// text infilling = span-poisson with replace_length 1: span lengths ~ Poisson(λ) are drawn until
// they cover ceil(ratio · tokens), the last is trimmed to the budget, every non-empty span becomes one <mask> and every
// zero-length span inserts one <mask> (add_insertion_noise). As in fairseq, span starts are drawn without replacement
// but spans may run into each other. fairseq tabulates the Poisson pmf only up to where it drops below 1e-7 (k ≈ 15 for
// λ = 3); here the cut is at 128 — the two differ by less than 1e-6 of the probability mass.
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Applies BART's noising transforms to one token sequence.</summary>
public sealed class BartNoiser
{
    private readonly Generator _rng;

    /// <summary>Creates the noiser; <paramref name="fullStopId"/> ends sentences for permutation.</summary>
    public BartNoiser(BartNoiseOptions options, int maskId, int fullStopId, int vocabSize, Generator rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 2);
        foreach (var (name, value) in new[]
                 {
                     ("MaskRatio", options.MaskRatio), ("DeleteRatio", options.DeleteRatio), ("InfillRatio", options.InfillRatio),
                     ("RandomRatio", options.RandomRatio), ("PermuteSentenceRatio", options.PermuteSentenceRatio), ("RotateRatio", options.RotateRatio),
                 })
        {
            if (!(value >= 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"BART noise: expected {name} in [0, 1]; found {value}.");
            }
        }

        Options = options;
        MaskId = maskId;
        FullStopId = fullStopId;
        VocabSize = vocabSize;
        _rng = rng;
    }

    /// <summary>The ratios.</summary>
    public BartNoiseOptions Options { get; }

    /// <summary>The &lt;mask&gt; id.</summary>
    public int MaskId { get; }

    /// <summary>The id that ends a sentence.</summary>
    public int FullStopId { get; }

    /// <summary>Vocabulary size; random tokens are drawn from [1, VocabSize) as in fairseq.</summary>
    public int VocabSize { get; }

    /// <summary>All enabled transforms, in fairseq's order.</summary>
    public int[] Apply(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var source = tokens;
        if (Options.PermuteSentenceRatio > 0)
        {
            source = PermuteSentences(source, Options.PermuteSentenceRatio);
        }

        if (Options.MaskRatio > 0)
        {
            source = MaskTokens(source, Options.MaskRatio);
        }

        if (Options.DeleteRatio > 0)
        {
            source = DeleteTokens(source, Options.DeleteRatio);
        }

        if (Options.InfillRatio > 0)
        {
            source = InfillText(source, Options.InfillRatio);
        }

        if (Options.RotateRatio > 0 && _rng.NextDouble() < Options.RotateRatio)
        {
            source = Rotate(source);
        }

        return source;
    }

    /// <summary>Token masking: ceil(ratio · inner tokens) distinct inner tokens become &lt;mask&gt; (or random ids).</summary>
    public int[] MaskTokens(int[] tokens, double ratio) => NoiseSpans(tokens, ratio, poissonSpans: false, delete: false);

    /// <summary>Token deletion: ceil(ratio · inner tokens) distinct inner tokens are removed.</summary>
    public int[] DeleteTokens(int[] tokens, double ratio) => NoiseSpans(tokens, ratio, poissonSpans: false, delete: true);

    /// <summary>Text infilling: Poisson-length spans covering ceil(ratio · inner tokens) tokens, each replaced by one &lt;mask&gt;.</summary>
    public int[] InfillText(int[] tokens, double ratio) => NoiseSpans(tokens, ratio, poissonSpans: true, delete: false);

    /// <summary>
    /// fairseq's span budget: Poisson(λ) lengths until their sum reaches <paramref name="budget"/>, the last trimmed
    /// so the sum is exactly the budget. Zero lengths are kept (they become insertions).
    /// </summary>
    public IReadOnlyList<int> SampleSpanLengths(int budget)
    {
        var lengths = new List<int>();
        var sum = 0;
        while (sum < budget)
        {
            var length = RandomSampling.Poisson(_rng, Options.PoissonLambda);
            length = Math.Min(length, budget - sum);
            lengths.Add(length);
            sum += length;
        }

        return lengths;
    }

    /// <summary>
    /// Sentence permutation: sentences end at <see cref="FullStopId"/> (the text before EOS counts as one too);
    /// ceil(ratio · sentences) of them are shuffled among their own slots.
    /// </summary>
    public int[] PermuteSentences(int[] tokens, double ratio)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length < 3)
        {
            return (int[])tokens.Clone();
        }

        // fairseq: the token before EOS counts as a full stop; a sentence ends after the first stop of a run.
        var isStop = tokens.Select(t => t == FullStopId).ToArray();
        isStop[^2] = true;
        var ends = new List<int>();
        for (var j = 0; j + 1 < tokens.Length; j++)
        {
            if (isStop[j + 1] && !isStop[j])
            {
                ends.Add(j + 2);
            }
        }

        var count = ends.Count;
        var toPermute = (int)Math.Ceiling(count * 2 * ratio / 2.0);
        var chosen = RandomSampling.Choose(_rng, count, toPermute);
        var shuffled = RandomSampling.Choose(_rng, toPermute, toPermute);
        var ordering = Enumerable.Range(0, count).ToArray();
        for (var k = 0; k < toPermute; k++)
        {
            ordering[chosen[k]] = chosen[shuffled[k]];
        }

        var result = (int[])tokens.Clone();
        var index = 1;
        foreach (var s in ordering)
        {
            var start = s > 0 ? ends[s - 1] : 1;
            tokens.AsSpan(start, ends[s] - start).CopyTo(result.AsSpan(index));
            index += ends[s] - start;
        }

        return result;
    }

    /// <summary>Document rotation: BOS, tokens[offset..^1], tokens[1..offset], EOS for a random offset in [1, n − 2].</summary>
    public int[] Rotate(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length < 4)
        {
            return (int[])tokens.Clone();
        }

        var offset = 1 + _rng.NextInt(tokens.Length - 2);
        return [tokens[0], .. tokens[offset..^1], .. tokens[1..offset], tokens[^1]];
    }

    private int[] NoiseSpans(int[] tokens, double ratio, bool poissonSpans, bool delete)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var inner = tokens.Length - 2;
        if (inner <= 0 || ratio <= 0)
        {
            return (int[])tokens.Clone();
        }

        var budget = (int)Math.Ceiling(inner * ratio);
        IReadOnlyList<int> lengths;
        var inserts = 0;
        if (poissonSpans)
        {
            var all = SampleSpanLengths(budget);
            lengths = all.Where(l => l > 0).ToArray();
            inserts = all.Count - lengths.Count;
        }
        else
        {
            lengths = Enumerable.Repeat(1, budget).ToArray();
        }

        var source = (int[])tokens.Clone();
        var keep = Enumerable.Repeat(true, source.Length).ToArray();
        var starts = RandomSampling.Choose(_rng, inner, Math.Min(lengths.Count, inner));
        for (var k = 0; k < starts.Length; k++)
        {
            var start = starts[k] + 1;
            var random = _rng.NextDouble() < Options.RandomRatio;
            if (delete)
            {
                keep[start] = false;
            }
            else
            {
                source[start] = random ? 1 + _rng.NextInt(VocabSize - 1) : MaskId;
            }

            // The rest of the span is removed (replace_length 1); it stops at EOS.
            for (var i = start + 1; i < start + lengths[k] && i < source.Length - 1; i++)
            {
                keep[i] = false;
            }
        }

        var result = source.Where((_, i) => keep[i]).ToArray();
        return inserts > 0 ? InsertMasks(result, inserts) : result;
    }

    // fairseq add_insertion_noise: n masks at distinct random positions strictly between BOS and EOS of the result.
    private int[] InsertMasks(int[] tokens, int n)
    {
        var total = tokens.Length + n;
        var positions = RandomSampling.Choose(_rng, total - 2, n);
        var isNoise = new bool[total];
        foreach (var p in positions)
        {
            isNoise[p + 1] = true;
        }

        // fairseq: the first ceil(n · random_ratio) of the drawn positions get random ids, the others <mask>.
        var randomCount = (int)Math.Ceiling(n * Options.RandomRatio);
        var randomAt = new HashSet<int>(positions.Take(randomCount).Select(p => p + 1));
        var result = new int[total];
        var from = 0;
        for (var i = 0; i < total; i++)
        {
            result[i] = !isNoise[i] ? tokens[from++] : randomAt.Contains(i) ? 1 + _rng.NextInt(VocabSize - 1) : MaskId;
        }

        return result;
    }
}
