// Reference definitions followed: scikit-learn sklearn/metrics/_classification.py (accuracy_score,
// precision_recall_fscore_support with zero_division=0, confusion_matrix).
using Loom.Metrics.Text;

namespace Loom.Metrics.Classification;

/// <summary>
/// Single-label classification metrics with scikit-learn's definitions (<c>sklearn.metrics.accuracy_score</c>,
/// <c>precision_recall_fscore_support</c> with <c>zero_division=0</c>, <c>confusion_matrix</c>): labels default to the
/// sorted union of true and predicted labels; macro and weighted averages are numpy means over the per-class values.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Computes accuracy, per-class and averaged precision / recall / F1, and the confusion matrix.</summary>
    /// <param name="yTrue">True labels, one per item.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <param name="labels">Labels to report, in this order; default the sorted union of both lists.</param>
    public static ClassificationReport Evaluate(IReadOnlyList<string> yTrue, IReadOnlyList<string> yPred,
        IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Count != yPred.Count)
        {
            throw new MetricException($"Classification needs one prediction per item: found {yTrue.Count} true labels and {yPred.Count} predictions.");
        }

        if (yTrue.Count == 0)
        {
            throw new MetricException("Classification needs at least one item, found none.");
        }

        var labelList = labels?.ToArray() ?? yTrue.Concat(yPred).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labelList.Length; i++)
        {
            if (!index.TryAdd(labelList[i], i))
            {
                throw new MetricException($"Label '{labelList[i]}' is listed twice in labels: expected distinct labels.");
            }
        }

        var matrix = new int[labelList.Length, labelList.Length];
        var correct = 0;
        for (var i = 0; i < yTrue.Count; i++)
        {
            if (yTrue[i] == yPred[i])
            {
                correct++;
            }

            if (index.TryGetValue(yTrue[i], out var t) && index.TryGetValue(yPred[i], out var p))
            {
                matrix[t, p]++;
            }
        }

        var n = labelList.Length;
        var tp = new int[n];
        var predicted = new int[n];
        var support = new int[n];
        foreach (var (truth, prediction) in yTrue.Zip(yPred))
        {
            if (index.TryGetValue(prediction, out var p))
            {
                predicted[p]++;
                if (truth == prediction)
                {
                    tp[p]++;
                }
            }

            if (index.TryGetValue(truth, out var t))
            {
                support[t]++;
            }
        }

        var perClass = new ClassScores[n];
        for (var c = 0; c < n; c++)
        {
            perClass[c] = Scores(tp[c], predicted[c], support[c]);
        }

        var totalSupport = support.Sum();
        var micro = Scores(tp.Sum(), predicted.Sum(), totalSupport);
        var precisions = perClass.Select(s => s.Precision).ToArray();
        var recalls = perClass.Select(s => s.Recall).ToArray();
        var f1s = perClass.Select(s => s.F1).ToArray();
        var macro = new ClassScores(NumpySum.Mean(precisions), NumpySum.Mean(recalls), NumpySum.Mean(f1s), totalSupport);
        var weights = support.Select(s => (double)s).ToArray();
        var weighted = totalSupport == 0
            ? new ClassScores(0, 0, 0, 0)
            : new ClassScores(NumpySum.Average(precisions, weights), NumpySum.Average(recalls, weights),
                NumpySum.Average(f1s, weights), totalSupport);
        return new ClassificationReport((double)correct / yTrue.Count, labelList, perClass, micro, macro, weighted, matrix);
    }

    private static ClassScores Scores(int truePositives, int predicted, int support)
    {
        var precision = predicted == 0 ? 0.0 : (double)truePositives / predicted;
        var recall = support == 0 ? 0.0 : (double)truePositives / support;
        var f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        return new ClassScores(precision, recall, f1, support);
    }
}
