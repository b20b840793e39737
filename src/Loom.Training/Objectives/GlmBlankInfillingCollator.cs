// GLM autoregressive blank infilling (Du et al. 2022, "GLM: General Language Model Pretraining with Autoregressive Blank
// Infilling", §2.1–2.2), following THUDM/GLM blocklm_utils.py ConstructBlockStrategy (sample_spans, make_block_data):
// span lengths ~ Poisson(λ = 3) restricted to ≥ 1 are drawn until they cover the masking ratio of the text; the spans
// are placed at random with at least one kept token between them. Part A is the text with every span replaced by
// [MASK]; part B holds the spans in random order, each as [sop] + span, predicting span + [eop]. 2-D positions: row 0 is
// the position in part A (for a part-B token: the position of its span's [MASK]); row 1 is 0 in part A and 1, 2, … inside
// each part-B span. Part A is attended bidirectionally, part B causally (a prefix-LM mask with prefix = |A|).
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Builds GLM blank-infilling batches.</summary>
public sealed class GlmBlankInfillingCollator
{
    private readonly Generator _rng;

    /// <summary>Creates the collator (masking ratio 0.15, λ = 3).</summary>
    public GlmBlankInfillingCollator(int maskId, int startOfPieceId, int endOfPieceId, int padId, Generator rng,
        double maskRatio = 0.15, double poissonLambda = 3)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(maskRatio > 0 && maskRatio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maskRatio), $"GLM: expected a masking ratio in (0, 1); found {maskRatio}.");
        }

        MaskId = maskId;
        StartOfPieceId = startOfPieceId;
        EndOfPieceId = endOfPieceId;
        PadId = padId;
        MaskRatio = maskRatio;
        PoissonLambda = poissonLambda;
        _rng = rng;
    }

    /// <summary>[MASK] id.</summary>
    public int MaskId { get; }

    /// <summary>[sop] id: first input of each part-B span.</summary>
    public int StartOfPieceId { get; }

    /// <summary>[eop] id: last target of each part-B span.</summary>
    public int EndOfPieceId { get; }

    /// <summary>Padding id.</summary>
    public int PadId { get; }

    /// <summary>Fraction of tokens blanked (0.15).</summary>
    public double MaskRatio { get; }

    /// <summary>Mean span length λ (3).</summary>
    public double PoissonLambda { get; }

    /// <summary>Non-overlapping, separated spans (start, end) over <paramref name="length"/> tokens, in text order.</summary>
    public IReadOnlyList<(int Start, int End)> SampleSpans(int length)
    {
        var budget = (int)Math.Round(length * MaskRatio, MidpointRounding.ToEven);
        var lengths = new List<int>();
        var sum = 0;
        while (sum < budget)
        {
            var l = RandomSampling.Poisson(_rng, PoissonLambda, min: 1, max: 40);
            lengths.Add(l);
            sum += l;
        }

        // sample_spans needs room for a gap between spans: drop spans (last first) until they fit.
        while (lengths.Count > 0 && length - lengths.Sum() - lengths.Count + 1 < 0)
        {
            lengths.RemoveAt(lengths.Count - 1);
        }

        var slack = length - lengths.Sum() - lengths.Count + 1;
        var places = lengths.Select(_ => _rng.NextInt(slack + 1)).Order().ToArray();
        var spans = new List<(int, int)>();
        var offset = 0;
        for (var k = 0; k < lengths.Count; k++)
        {
            var start = offset + places[k];
            spans.Add((start, start + lengths[k]));
            offset += lengths[k] + 1;
        }

        return spans;
    }

    /// <summary>Input ids, targets (−100 in part A), 2-D positions and |A| for one sequence.</summary>
    public (int[] Ids, int[] Labels, int[] Positions, int[] BlockPositions, int PrefixLength) Build(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var spans = SampleSpans(tokens.Length);
        var ids = new List<int>();
        var maskPositions = new int[spans.Count];
        var next = 0;
        for (var k = 0; k < spans.Count; k++)
        {
            ids.AddRange(tokens[next..spans[k].Start]);
            maskPositions[k] = ids.Count;
            ids.Add(MaskId);
            next = spans[k].End;
        }

        ids.AddRange(tokens[next..]);
        var prefix = ids.Count;
        var labels = Enumerable.Repeat(TrainingBatch.IgnoreIndex, prefix).ToList();
        var positions = Enumerable.Range(0, prefix).ToList();
        var blockPositions = Enumerable.Repeat(0, prefix).ToList();
        foreach (var k in RandomSampling.Choose(_rng, spans.Count, spans.Count))
        {
            var span = tokens[spans[k].Start..spans[k].End];
            ids.Add(StartOfPieceId);
            ids.AddRange(span);
            labels.AddRange(span);
            labels.Add(EndOfPieceId);
            for (var j = 0; j <= span.Length; j++)
            {
                positions.Add(maskPositions[k]);
                blockPositions.Add(j + 1);
            }
        }

        return (ids.ToArray(), labels.ToArray(), positions.ToArray(), blockPositions.ToArray(), prefix);
    }

    /// <summary>
    /// A batch: input ids, attention mask (padding), labels, position ids (B, 2, T) and prefix lengths (B); build the
    /// attention pattern with <see cref="PrefixLmMask.Build"/>.
    /// </summary>
    public TrainingBatch Collate(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var built = sequences.Select(Build).ToArray();
        var ids = built.Select(x => x.Ids).ToArray();
        var t = ids.Max(x => x.Length);
        var positions = BatchPadding.Pad(built.Select(x => x.Positions).ToArray(), 0, t).ToArray();
        var blocks = BatchPadding.Pad(built.Select(x => x.BlockPositions).ToArray(), 0, t).ToArray();
        var twoD = new int[sequences.Count * 2 * t];
        for (var b = 0; b < sequences.Count; b++)
        {
            positions.AsSpan(b * t, t).CopyTo(twoD.AsSpan(b * 2 * t));
            blocks.AsSpan(b * t, t).CopyTo(twoD.AsSpan(b * 2 * t + t));
        }

        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(ids, PadId),
            AttentionMask = BatchPadding.Mask(ids),
            Labels = BatchPadding.Pad(built.Select(x => x.Labels).ToArray(), TrainingBatch.IgnoreIndex),
            PositionIds = IntTensor.FromArray(twoD, sequences.Count, 2, t),
            PrefixLengths = IntTensor.FromArray(built.Select(x => x.PrefixLength).ToArray()),
        };
    }
}
