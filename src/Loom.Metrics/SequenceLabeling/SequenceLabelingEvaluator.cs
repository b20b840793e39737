// Reference implementation followed: seqeval 1.2.2 seqeval/metrics/sequence_labeling.py, v1.py and reporters.py.
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.SequenceLabeling;

/// <summary>
/// Chunk-level evaluation of sequence labelling as seqeval 1.2.2 computes it (<c>seqeval/metrics/sequence_labeling.py</c>
/// and <c>v1.py</c>; chunking after CoNLL-2000 <c>conlleval</c>): token accuracy, chunk precision / recall / F1 with
/// micro, macro and weighted averages, the classification report and the token-level performance measure.
/// Without a scheme the lenient <see cref="ConllChunker"/> is used; with a <see cref="TaggingScheme"/> (seqeval's
/// <c>mode="strict"</c>) only well-formed chunks count (<see cref="StrictChunker"/>). Zero divisions give 0 as
/// seqeval's default <c>zero_division="warn"</c> does.
/// </summary>
public sealed class SequenceLabelingEvaluator
{
    private readonly TaggingScheme? _scheme;
    private readonly bool _suffix;

    /// <summary>Creates an evaluator; <paramref name="strictScheme"/> null means seqeval's default mode.</summary>
    public SequenceLabelingEvaluator(TaggingScheme? strictScheme = null, bool suffix = false)
    {
        _scheme = strictScheme;
        _suffix = suffix;
    }

    /// <summary>Token accuracy over the flattened sequences (like seqeval, lengths are not checked: pairs stop at the shorter).</summary>
    public static double Accuracy(IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var truth = yTrue.SelectMany(s => s).ToList();
        var predicted = yPred.SelectMany(s => s).ToList();
        if (truth.Count == 0)
        {
            throw new MetricException("Accuracy needs at least one true tag, found none (division by zero).");
        }

        var correct = truth.Zip(predicted).Count(p => p.First == p.Second);
        return (double)correct / truth.Count;
    }

    /// <summary>Token-level TP / FP / FN / TN counts (seqeval's <c>performance_measure</c>).</summary>
    public static (int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives) PerformanceMeasure(
        IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var pairs = yTrue.SelectMany(s => s).Zip(yPred.SelectMany(s => s)).ToList();
        return (
            pairs.Count(p => p.First == p.Second && (p.First != "O" || p.Second != "O")),
            pairs.Count(p => p.First != p.Second && p.Second != "O"),
            pairs.Count(p => p.First != "O" && p.Second == "O"),
            pairs.Count(p => p.First == "O" && p.Second == "O"));
    }

    /// <summary>Averaged chunk precision, recall and F1 (support = total true chunks).</summary>
    public ChunkScores Score(IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred,
        ChunkAverage average)
    {
        var counts = Count(yTrue, yPred, _scheme);
        return Average(counts, average);
    }

    /// <summary>Per-type scores, in ordinal order of type names.</summary>
    public List<(string Type, ChunkScores Scores)> ScorePerType(IReadOnlyList<IReadOnlyList<string>> yTrue,
        IReadOnlyList<IReadOnlyList<string>> yPred) => PerType(Count(yTrue, yPred, _scheme));

    /// <summary>
    /// seqeval's <c>classification_report(output_dict=True)</c>: one row per type then <c>micro avg</c>,
    /// <c>macro avg</c>, <c>weighted avg</c> (whose support is the total number of true chunks). In strict mode without
    /// an explicit scheme seqeval auto-detects one from <paramref name="yTrue"/>; pass it through
    /// <paramref name="autoDetectScheme"/>.
    /// </summary>
    public List<(string Name, ChunkScores Scores)> Report(IReadOnlyList<IReadOnlyList<string>> yTrue,
        IReadOnlyList<IReadOnlyList<string>> yPred, bool autoDetectScheme = false)
    {
        var scheme = autoDetectScheme && _scheme is null ? StrictChunker.AutoDetect(yTrue, _suffix) : _scheme;
        var counts = Count(yTrue, yPred, scheme);
        var rows = PerType(counts);
        var support = counts.TrueCounts.Sum();
        rows.Add(("micro avg", Average(counts, ChunkAverage.Micro) with { Support = support }));
        rows.Add(("macro avg", Average(counts, ChunkAverage.Macro) with { Support = support }));
        rows.Add(("weighted avg", Average(counts, ChunkAverage.Weighted) with { Support = support }));
        return rows;
    }

    /// <summary>
    /// seqeval's text report (<c>StringReporter</c>); like seqeval it throws when there is no chunk at all
    /// (<c>max()</c> of an empty sequence of type names).
    /// </summary>
    public static string FormatReport(IReadOnlyList<(string Name, ChunkScores Scores)> rows, int digits = 2)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var typeRows = rows.Take(rows.Count - 3).ToList();
        if (typeRows.Count == 0)
        {
            throw new MetricException("Cannot format a classification report without any entity type: no chunk in y_true or y_pred (seqeval raises ValueError).");
        }

        var width = Math.Max(Math.Max(typeRows.Max(r => PyText.Length(r.Name)), "weighted avg".Length), digits);
        var text = new StringBuilder();
        text.Append(new string(' ', width)).Append(' ');
        foreach (var header in (string[])["precision", "recall", "f1-score", "support"])
        {
            text.Append(' ').Append(header.PadLeft(9));
        }

        text.Append("\n\n");
        var lines = new List<string>();
        foreach (var row in typeRows)
        {
            lines.Add(FormatRow(row.Name, row.Scores, width, digits));
        }

        lines.Add("");
        foreach (var row in rows.Skip(typeRows.Count))
        {
            lines.Add(FormatRow(row.Name, row.Scores, width, digits));
        }

        lines.Add("");
        return text.Append(string.Join('\n', lines)).ToString();
    }

    private static string FormatRow(string name, ChunkScores s, int width, int digits) =>
        name.PadLeft(width + name.Length - PyText.Length(name)) + " "
        + " " + PyFloat.Fixed(s.Precision, digits).PadLeft(9)
        + " " + PyFloat.Fixed(s.Recall, digits).PadLeft(9)
        + " " + PyFloat.Fixed(s.F1, digits).PadLeft(9)
        + " " + s.Support.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(9);

    private sealed record Counts(string[] Types, int[] TruePositives, int[] PredictedCounts, int[] TrueCounts);

    private Counts Count(IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred,
        TaggingScheme? scheme)
    {
        CheckConsistentLength(yTrue, yPred);
        List<LabeledEntity> truth, predicted;
        if (scheme is { } strict)
        {
            truth = StrictChunker.GetEntities(yTrue, strict, _suffix);
            predicted = StrictChunker.GetEntities(yPred, strict, _suffix);
        }
        else
        {
            truth = ConllChunker.GetEntities(yTrue, _suffix);
            predicted = ConllChunker.GetEntities(yPred, _suffix);
        }

        var trueSet = truth.ToHashSet();
        var predictedSet = predicted.ToHashSet();
        var types = trueSet.Select(e => e.Type).Union(predictedSet.Select(e => e.Type)).Order(StringComparer.Ordinal).ToArray();
        var tp = new int[types.Length];
        var predictedCounts = new int[types.Length];
        var trueCounts = new int[types.Length];
        for (var t = 0; t < types.Length; t++)
        {
            var type = types[t];
            trueCounts[t] = trueSet.Count(e => e.Type == type);
            predictedCounts[t] = predictedSet.Count(e => e.Type == type);
            tp[t] = trueSet.Count(e => e.Type == type && predictedSet.Contains(e));
        }

        return new Counts(types, tp, predictedCounts, trueCounts);
    }

    private static void CheckConsistentLength(IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Count == 0 && yPred.Count == 0)
        {
            throw new MetricException("Found input variables without list of list: y_true and y_pred are empty (seqeval raises TypeError).");
        }

        var same = yTrue.Count == yPred.Count;
        for (var i = 0; same && i < yTrue.Count; i++)
        {
            same = yTrue[i].Count == yPred[i].Count;
        }

        if (!same)
        {
            throw new MetricException(
                $"Found input variables with inconsistent numbers of samples: y_true lengths [{string.Join(", ", yTrue.Select(s => s.Count))}], y_pred lengths [{string.Join(", ", yPred.Select(s => s.Count))}].");
        }
    }

    private static List<(string Type, ChunkScores Scores)> PerType(Counts counts)
    {
        var (precision, recall, f1) = Divide(counts.TruePositives, counts.PredictedCounts, counts.TrueCounts);
        var rows = new List<(string, ChunkScores)>();
        for (var t = 0; t < counts.Types.Length; t++)
        {
            rows.Add((counts.Types[t], new ChunkScores(precision[t], recall[t], f1[t], counts.TrueCounts[t])));
        }

        return rows;
    }

    private static ChunkScores Average(Counts counts, ChunkAverage average)
    {
        var totalTrue = counts.TrueCounts.Sum();
        switch (average)
        {
            case ChunkAverage.Micro:
                {
                    var (p, r, f) = Divide([counts.TruePositives.Sum()], [counts.PredictedCounts.Sum()], [totalTrue]);
                    return new ChunkScores(p[0], r[0], f[0], totalTrue);
                }

            case ChunkAverage.Macro:
                {
                    var (p, r, f) = Divide(counts.TruePositives, counts.PredictedCounts, counts.TrueCounts);
                    return new ChunkScores(NumpySum.Mean(p), NumpySum.Mean(r), NumpySum.Mean(f), totalTrue);
                }

            default:
                {
                    if (totalTrue == 0)
                    {
                        return new ChunkScores(0.0, 0.0, 0.0, 0);
                    }

                    var (p, r, f) = Divide(counts.TruePositives, counts.PredictedCounts, counts.TrueCounts);
                    var weights = counts.TrueCounts.Select(c => (double)c).ToArray();
                    return new ChunkScores(NumpySum.Average(p, weights), NumpySum.Average(r, weights),
                        NumpySum.Average(f, weights), totalTrue);
                }
        }
    }

    /// <summary>seqeval's <c>_prf_divide</c> and F-beta with beta = 1, in numpy's operation order.</summary>
    private static (double[] Precision, double[] Recall, double[] F1) Divide(int[] tp, int[] predicted, int[] truth)
    {
        var n = tp.Length;
        var precision = new double[n];
        var recall = new double[n];
        var f1 = new double[n];
        for (var i = 0; i < n; i++)
        {
            precision[i] = predicted[i] == 0 ? 0.0 : (double)tp[i] / predicted[i];
            recall[i] = truth[i] == 0 ? 0.0 : (double)tp[i] / truth[i];
            var denominator = precision[i] + recall[i];
            if (denominator == 0.0)
            {
                denominator = 1;
            }

            f1[i] = 2.0 * precision[i] * recall[i] / denominator;
        }

        return (precision, recall, f1);
    }
}
